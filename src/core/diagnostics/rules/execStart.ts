/**
 * DNE150: a drop-in that adds ExecStart= without first resetting it with an empty
 * `ExecStart=`. systemd refuses the unit.
 */
import type { Finding } from '../finding';
import { Codes } from '../codes';
import type { DockerdConfig } from '../dockerdConfig';

export function execStartFindings(config: DockerdConfig): Finding[] {
  const service = config.service;
  if (!service || service.type === 'oneshot' || service.execStarts.length < 2) return [];
  const first = service.execStarts[0];
  return service.execStarts.slice(1).map((exec): Finding => ({
    file: exec.file,
    range: exec.range,
    severity: 'error',
    code: Codes.multipleExecStart,
    message:
      'systemd refuses docker.service: "docker.service: Service has more than one ExecStart= setting, which is only allowed for ' +
      'Type=oneshot services. Refusing." Put an empty ExecStart= line before this one to reset the earlier command.',
    related: [{ file: first.file, range: first.range, message: 'earlier ExecStart= still in effect' }],
    fix: {
      title: 'Reset ExecStart= first',
      edits: [
        {
          range: { startLine: exec.range.startLine, startColumn: 0, endLine: exec.range.startLine, endColumn: 0 },
          newText: 'ExecStart=\n',
        },
      ],
    },
  }));
}
