// find_operation: the server's own tool catalogue embedded like documents, so a client can find
// the right tool by describing a task. Score = cosine similarity of the task and the tool's
// name, title and description, plus a keyword bonus (share of the task's words found in the
// tool's text) that keeps a small embedding model honest. Embeddings are cached per process.
import type { Embedder } from './embedder.js';

export interface CatalogueEntry { name: string; title: string; description: string }

const cache = new Map<string, Promise<number[][]>>();
const STOP = new Set(['a', 'an', 'the', 'to', 'of', 'for', 'and', 'or', 'in', 'on', 'my', 'i', 'me', 'is', 'are', 'do', 'how', 'what', 'which', 'with', 'by', 'from', 'it', 'this', 'that', 'all', 'can', 'want', 'need']);

const words = (text: string) => text.toLowerCase().replace(/_/g, ' ').match(/[a-z0-9]+/g)?.filter((w) => !STOP.has(w)) ?? [];
const docText = (e: CatalogueEntry) => `${e.name.replace(/_/g, ' ')}. ${e.title}. ${e.description}`;
const stem = (w: string) => w.replace(/(ies|es|s|ing|ed)$/, '');

function keywordShare(task: string[], tool: string): number {
  if (task.length === 0) return 0;
  const toolWords = new Set(words(tool).map(stem));
  return task.filter((w) => toolWords.has(stem(w))).length / task.length;
}

export async function rankOperations(embedder: Embedder, entries: CatalogueEntry[], task: string, limit: number) {
  const key = `${embedder.model}|${entries.map((e) => e.name).join(',')}`;
  let vectors = cache.get(key);
  if (!vectors) {
    vectors = embedder.embed(entries.map(docText));
    vectors.catch(() => cache.delete(key));
    cache.set(key, vectors);
  }
  const [query] = await embedder.embed([task]);
  const taskWords = words(task);
  const scored = (await vectors).map((v, i) => {
    const cosine = v.reduce((s, x, j) => s + x * query![j]!, 0);
    const keywords = keywordShare(taskWords, docText(entries[i]!));
    return { entry: entries[i]!, score: Math.round((cosine + keywords) * 10_000) / 10_000 };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, limit);
}
