/**
 * The mails of the thread that the catalog's scenarios come from (shared/seeds/NNN_*.txt,
 * mapped in shared/docs/THREAD.md), named as the mails name themselves: subject, sender and
 * date. A scenario's `seed` is the file's number; what a user reads is the mail.
 */

/** One mail of the thread, as its headers (or its first quoted line) give it. */
export interface Mail {
  subject: string;
  from: string;
  /** ISO date of the mail. */
  date: string;
}

/** The five seeds, by file number. */
export const SEEDS: Readonly<Record<string, Mail>> = {
  // the RFC and its first replies (Gregory Price, Kiryl Shutsemau), with the four litmus tests
  '000': {
    subject: '[PATCH 1/1] mm: implement page refcount locking via dedicated bit',
    from: 'Gladyshev Ilya',
    date: '2025-12-19',
  },
  '001': {
    subject: 'Re: [PATCH 1/1] mm: implement page refcount locking via dedicated bit',
    from: 'David Hildenbrand',
    date: '2026-03-05',
  },
  '002': {
    subject: '[PATCH v4 0/2] mm: improve folio refcount scalability',
    from: 'Gladyshev Ilya',
    date: '2026-06-08',
  },
  '003': {
    subject: 'Re: [PATCH v4 0/2] mm: improve folio refcount scalability',
    from: 'David Hildenbrand',
    date: '2026-06-22',
  },
  // v2 and syzbot ci's report on it
  '004': {
    subject: '[PATCH v2 0/2] mm: improve folio refcount scalability',
    from: 'Gorbunov Ivan',
    date: '2026-04-20',
  },
};

/** `"subject" (sender, date)`: how a message names a seed. @throws on an unknown seed */
export function mailName(seed: string): string {
  const mail = SEEDS[seed];
  if (!mail) throw new Error(`[checker bug] unknown seed ${JSON.stringify(seed)}`);
  return `"${mail.subject}" (${mail.from}, ${mail.date})`;
}
