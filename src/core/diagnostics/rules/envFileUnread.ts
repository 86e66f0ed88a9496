/**
 * DNE130/131: flags in /etc/sysconfig/docker or /etc/default/docker that dockerd never sees.
 * Many distribution units do not read these files (moby#14323, #19585): the flags are
 * silently ignored.
 */
import type { Finding } from '../finding';
import { DOCKER_OPTION_VARIABLES } from '../parsers/shellEnvFile';
import { Codes } from '../codes';
import { variableSeenByService, type DockerdConfig } from '../dockerdConfig';

export function envFileUnreadFindings(config: DockerdConfig): Finding[] {
  const service = config.service;
  // Without the unit we cannot know what it reads.
  if (!service) return [];
  const findings: Finding[] = [];
  const references = service.execStarts.flatMap((exec) => exec.command.references);
  for (const envFile of config.envFiles) {
    const readBy = service.environmentFiles.find((reference) => reference.path === envFile.hostPath);
    for (const assignment of envFile.assignments) {
      if (!DOCKER_OPTION_VARIABLES.includes(assignment.name) || assignment.command.flags.length === 0) continue;
      const expanded = references.filter((reference) => reference.name === assignment.name);
      if (readBy && expanded.length > 0) continue;
      const ignored = { file: envFile.file, range: assignment.nameRange, severity: 'warning', code: Codes.envFileNotRead } as const;
      findings.push(
        readBy
          ? {
              ...ignored,
              message:
                `${assignment.name} is ignored: docker.service reads ${envFile.hostPath} but its ExecStart= never ` +
                `expands $${assignment.name} (moby#14323). Add $${assignment.name} to ExecStart= in a drop-in, or move ` +
                'the settings to /etc/docker/daemon.json.',
              related: [{ file: readBy.file, range: readBy.range, message: 'EnvironmentFile= here' }],
            }
          : {
              ...ignored,
              message:
                `${assignment.name} is ignored: docker.service has no EnvironmentFile=${envFile.hostPath}, so dockerd ` +
                `never gets these flags (moby#14323). Add a drop-in with EnvironmentFile=-${envFile.hostPath} and an ` +
                `ExecStart= that expands $${assignment.name}, or move the settings to /etc/docker/daemon.json.`,
            },
      );
    }
  }
  // ${NAME} of a value with several words: one argument. Whichever file (or Environment=) it comes from.
  for (const reference of references.filter((candidate) => candidate.braced && candidate.whole)) {
    const source = variableSeenByService(config, reference.name);
    if (
      !source ||
      !/\s-/.test(
        source.words
          .map((word) => word.value)
          .join(' ')
          .trim(),
      )
    )
      continue;
    findings.push({
      file: reference.file,
      range: reference.range,
      severity: 'warning',
      code: Codes.envVariableNotExpanded,
      message:
        `systemd passes \${${reference.name}} to dockerd as ONE argument, so its several flags are misread. ` +
        `Write $${reference.name} (without braces) so systemd splits it into words.`,
      fix: { title: `Use $${reference.name}`, edits: [{ range: reference.range, newText: `$${reference.name}` }] },
    });
  }
  return findings;
}
