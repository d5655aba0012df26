// Describes the live database schema as Markdown, so an assistant can see what the ERP stores.
import type { Tx } from '../../db/types.js';

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
      (select format('%s.%s', ccu.table_name, ccu.column_name)
         from information_schema.key_column_usage k
         join information_schema.referential_constraints rc on rc.constraint_name = k.constraint_name and rc.constraint_schema = k.constraint_schema
         join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name and ccu.constraint_schema = rc.unique_constraint_schema
        where k.table_schema = c.table_schema and k.table_name = c.table_name and k.column_name = c.column_name limit 1) as references
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public'
    order by c.table_name, c.ordinal_position`);
  const lines = ['# erp-mcp database schema', '', 'Money columns are numeric(14,2); ids are integers; timestamps are UTC.'];
  let current = '';
  for (const col of columns) {
    if (col.table_name !== current) {
      current = col.table_name;
      lines.push('', `## ${current}`, '', '| column | type | null | references |', '|---|---|---|---|');
    }
    lines.push(`| ${col.column_name} | ${col.data_type} | ${col.is_nullable === 'YES' ? 'yes' : 'no'} | ${col.references ?? ''} |`);
  }
  return `${lines.join('\n')}\n`;
}
