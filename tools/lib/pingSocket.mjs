// Whether a Docker daemon answers on a unix socket: the lab, `npm start` and the tests' private
// daemons ask this while a daemon starts or before using one.
import * as http from 'node:http';

/** True when a daemon answers GET /_ping on the socket with 200 within `timeoutMs`. */
export function pingSocket(socketPath, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}
