// Replaces dockerode's lib/session.js in the bundle. The real one loads gRPC and protobuf
// (about 1.5 MB) only to run BuildKit image builds, which this extension never does.
module.exports = function withSession(_docker, _auth, handler) {
  handler(new Error('BuildKit sessions are not available in Docker Network Explorer'));
};
