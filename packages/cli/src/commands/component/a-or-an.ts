/** "an orchestrator", "an alerter", "a deployer": the component groups' help reads as English. */
export function aOrAn(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
