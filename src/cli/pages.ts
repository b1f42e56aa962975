/** Every record of a paged list (keyset pages by id), for commands that print whole lists. */
export async function everyPage<T extends { id: number }>(load: (page: { after: number; limit: number }) => Promise<T[]>, limit = 500): Promise<T[]> {
  const all: T[] = [];
  for (let after = 0; ; ) {
    const page = await load({ after, limit });
    all.push(...page);
    if (page.length < limit) return all;
    after = page.at(-1)!.id;
  }
}
