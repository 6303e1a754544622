// The lab's attribution policy: which containers and networks that appear
// while a lab is open are the lab's doing, and so go in its ledger for a
// reset to remove. What a host shell creates through the lab relay carries
// the lab label (relay/host-relays.ts) and is the lab's whatever its name;
// without the label, only the lesson's own names are. What another program
// creates on the same engine meanwhile is left alone.

/** Whether an unlabelled container or network that just appeared is the lab's doing: it has one of the lesson's names. */
export function isLabsDoing(kind: 'container' | 'network', name: string, lessonNames: { containers: string[]; networks: string[] } | undefined): boolean {
  return lessonNames !== undefined && (kind === 'container' ? lessonNames.containers : lessonNames.networks).includes(name);
}
