// Describes the live database schema as Markdown, so an assistant can see what the ERP stores.
import type { Tx } from '../../db/types.js';
import { LIMITS } from '../analytics/run-query.js';
import { describeApprovalPolicy } from './approval-policy.js';

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  references: string | null;
}

export async function describeSchema(tx: Tx): Promise<string> {
  const columns = await tx.query<ColumnRow>(`
    select c.table_name, c.column_name,
      case when c.data_type = 'USER-DEFINED' then c.udt_name
           when c.data_type = 'numeric' and c.numeric_precision is not null then format('numeric(%s,%s)', c.numeric_precision, c.numeric_scale)
           else c.data_type end as data_type,
      c.is_nullable,
      -- pg_constraint, not information_schema: the server's role owns no table, and the
      -- information_schema views of constraints show only tables the current role owns.
      (select format('%s.%s', ft.relname, fa.attname)
         from pg_constraint k
         join pg_class ft on ft.oid = k.confrelid
         join pg_attribute fa on fa.attrelid = k.confrelid and fa.attnum = k.confkey[1]
        where k.contype = 'f' and k.conrelid = format('public.%I', c.table_name)::regclass
          and array_length(k.conkey, 1) = 1
          and k.conkey[1] = (select a.attnum from pg_attribute a where a.attrelid = k.conrelid and a.attname = c.column_name)
        limit 1) as references
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public'
    order by c.table_name, c.ordinal_position`);
  const lines = [
    '# erp-mcp database schema',
    '',
    'Money columns are numeric(14,2); ids are integers; timestamps are UTC.',
  ];
  let current = '';
  for (const col of columns) {
    if (col.table_name !== current) {
      current = col.table_name;
      lines.push('', `## ${current}`, '', '| column | type | null | references |', '|---|---|---|---|');
    }
    lines.push(
      `| ${col.column_name} | ${col.data_type} | ${col.is_nullable === 'YES' ? 'yes' : 'no'} | ${col.references ?? ''} |`,
    );
  }
  lines.push('', ...(await describeReportingViews(tx)), '', ...(await describeApprovalPolicy(tx)));
  return `${lines.join('\n')}\n`;
}

/** The views run_query reads (sql/007), and who sees which. */
async function describeReportingViews(tx: Tx): Promise<string[]> {
  const views = await tx.query<{ schema: string; view: string; columns: string }>(`
    select table_schema as schema, table_name as view, string_agg(column_name, ', ' order by ordinal_position) as columns
    from information_schema.columns where table_schema in ('reporting', 'reporting_admin')
    group by table_schema, table_name order by table_schema, table_name`);
  const list = (schema: string) => views.filter((v) => v.schema === schema).map((v) => `- \`${v.view}\`: ${v.columns}`);
  return [
    '# Reporting views (run_query)',
    '',
    'run_query reads only these views, one per business table and named like it, as a database role that can do nothing else:',
    'analyst and finance as `erp_reader`, admins as `erp_reader_admin`. Credentials, server settings, files and the migrations',
    `table are not reachable. Limits: ${LIMITS.rows} rows, ${LIMITS.bytes / 1_000_000} MB, ${LIMITS.rowBytes / 1024} KB a row, ${LIMITS.timeoutMs / 1000} s (PostgreSQL);`,
    `on the embedded database a plan whose estimated cost is over ${LIMITS.cost} is refused before it runs.`,
    '',
    '## For every role that may call run_query',
    '',
    ...list('reporting'),
    '',
    '## Admins only (the audit payloads and conversation text; these replace the views of the same name)',
    '',
    ...list('reporting_admin'),
  ];
}
