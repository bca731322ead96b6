import type { ReactNode } from 'react';

export type HeadingLevel = 2 | 3 | 4 | 5;

/** A heading at a level given by the caller, so a list can sit at the top of the page or inside a section. */
export function Heading({ level, id, children }: { level: HeadingLevel; id?: string; children: ReactNode }) {
  const Tag = `h${level}` as const;
  return <Tag id={id}>{children}</Tag>;
}

export const below = (level: HeadingLevel): HeadingLevel => Math.min(level + 1, 5) as HeadingLevel;
