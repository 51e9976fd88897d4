/**
 * Links in the project's markdown, read as GitHub renders them: the documentation tests
 * check that each relative link lands on a file, and each #fragment on a heading.
 */

/** A relative link: its target path ('' for a link inside the same file) and its fragment. */
export interface RelativeLink {
  path: string;
  fragment: string | undefined;
}

/** The relative links of a markdown text (`[text](target)`, `![alt](target)`), outside code. */
export function relativeLinks(text: string): RelativeLink[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => {
      const [path, fragment] = target.split('#') as [string, string | undefined];
      return { path, fragment };
    });
}

/** The anchors GitHub gives a markdown text's headings (lowercase, punctuation dropped, - for space). */
export function headingAnchors(text: string): Set<string> {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '');
  const anchors = new Set<string>();
  for (const m of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}
