/** A text's code: its index in `names`, where a text not seen before is appended. */
export function interner(names: string[]): (text: string) => number {
  const index = new Map(names.map((name, code) => [name, code]));
  return (text) => {
    let code = index.get(text);
    if (code === undefined) {
      code = names.length;
      names.push(text);
      index.set(text, code);
    }
    return code;
  };
}
