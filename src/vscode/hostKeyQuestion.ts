/**
 * The one question about an ssh host key the core cannot answer by itself: a key known_hosts does
 * not hold. Asked as ssh asks it (a modal, the SHA256 fingerprint to compare), once per host and
 * key however many connections wait for it (core/ssh/hostKeyTrust.ts); a trusted key is then
 * written to known_hosts by the core, where ssh and the docker CLI find it too.
 */
import type { UnknownHostKey } from '../core/ssh/hostKeyTrust';
import { notify } from './untrusted';

const TRUST = 'Trust and Connect';

export async function askAboutHostKey(question: UnknownHostKey): Promise<boolean> {
  const others = question.otherTypes.length ? ` known_hosts holds only its ${question.otherTypes.join(', ')} key, not this one.` : '';
  const choice = await notify(
    'warning',
    `The authenticity of ssh host ${question.name} can't be established.`,
    {
      modal: true,
      detail:
        `${question.keyType} key fingerprint is ${question.fingerprint}.${others}\n\n` +
        `Compare it with the fingerprint the host's administrator reads there (ssh-keygen -lf /etc/ssh/ssh_host_${question.keyType.toLowerCase()}_key.pub). ` +
        `If you trust it, it is added to ${question.recordIn} and not asked again. If not, cancel: nothing is sent to that host.`,
    },
    TRUST,
  );
  return choice === TRUST;
}
