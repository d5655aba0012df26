// The text content of a successful tool result: the same data as its structuredContent, for hosts
// that show the model only text (DESIGN.md, "Results"). Presentation only; it knows no tool.
//
// The rule: a one-line summary, a blank line, then the data.
// - Lists and reports (an output with a top-level array of row objects, or a page: `items` with
//   `next_cursor`): each field in the output's own order, arrays of rows as Markdown pipe tables
//   under a `key:` title (columns are the rows' keys; a nested object or array in a cell is compact
//   JSON), every other field as a `key: value` line (objects and arrays as compact JSON).
// - Anything else: compact JSON.
// Values read as JSON writes them inside a document (1234.50, 42, true, null; a string as between
// its quotes, so an ordinary string reads as it is and one with a quote, backslash or line break
// reads escaped, \" \\ \n; "" when empty): every leaf of structuredContent is found in the text
// exactly as it appears in the JSON. Values are user data: a table is drawn only when no cell holds
// a `|` (else that array is compact JSON), and line breaks are escaped, so no value can start a
// line, a row or a column. Text is at most a few bytes for a byte of JSON.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Row = { [key: string]: Json };

/** The text block of a successful result. */
export function renderResultText(summary: string, output: unknown): string {
  // What the client receives: the JSON form of the output (dates as strings, no undefined).
  const data = JSON.parse(JSON.stringify(output ?? null)) as Json;
  return `${escapeBreaks(summary)}\n\n${renderData(data)}`;
}

function renderData(data: Json): string {
  if (!isObject(data) || !isTabular(data)) return JSON.stringify(data);
  const blocks: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) blocks.push(lines.join('\n'));
    lines = [];
  };
  for (const [key, value] of Object.entries(data)) {
    const table = isRows(value) ? renderTable(value) : null;
    if (table) {
      flush();
      blocks.push(`${escapeBreaks(key)}:\n\n${table.join('\n')}`);
    } else lines.push(`${escapeBreaks(key)}: ${escapeBreaks(scalar(value))}`);
  }
  flush();
  return blocks.join('\n\n');
}

const isObject = (v: Json): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRows = (v: Json): v is Row[] => Array.isArray(v) && v.length > 0 && v.every(isObject);
const isTabular = (data: Row) =>
  Object.values(data).some(isRows) || (Array.isArray(data.items) && Object.hasOwn(data, 'next_cursor'));

/**
 * A pipe table, or null when the rows share too few keys for one (it would be mostly empty cells)
 * or a cell holds a `|`, which would have to be escaped and then no longer read as its JSON.
 */
function renderTable(rows: Row[]): string[] | null {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const filled = rows.reduce((n, r) => n + Object.keys(r).length, 0);
  if (rows.length * columns.length > 2 * filled + columns.length) return null;
  const body = rows.map((r) => columns.map((c) => (Object.hasOwn(r, c) ? cell(r[c]!) : '')));
  const head = columns.map(cell);
  if ([head, ...body].some((cells) => cells.some((c) => c.includes('|')))) return null;
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(columns.map(() => '---')), ...body.map(line)];
}

/** A value as JSON writes it, a string without its quotes ("" when empty). */
const scalar = (v: Json): string =>
  typeof v === 'string' ? (v === '' ? '""' : JSON.stringify(v).slice(1, -1)) : JSON.stringify(v);
const cell = (v: Json): string => escapeBreaks(scalar(v));

// C0 and C1 controls, DEL and the Unicode line and paragraph separators: whatever some reader
// could take for the end of a line.
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeBreaks(s: string): string {
  return s.replace(BREAKS, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
