import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to the embedded database, the admin user and every toolset', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('.erp-data')).toBe(true);
    expect(c.user).toBe('admin@erp.local');
    expect(c.toolsets).toEqual(['router', 'sales', 'inventory', 'finance', 'analytics', 'rag']);
    expect(c.httpPort).toBe(3000);
  });

  it('flags win over the environment', () => {
    const c = loadConfig(
      { ERP_TOOLSETS: 'finance', ERP_USER: 'a@example.com' },
      { toolsets: 'sales, inventory', user: 'Sam@Example.COM' },
    );
    expect(c.toolsets).toEqual(['sales', 'inventory']);
    expect(c.user).toBe('sam@example.com');
  });

  it('lists every tool unless ERP_TOOL_MODE or --tools asks for discover mode', () => {
    expect(loadConfig({}).toolMode).toBe('full');
    expect(loadConfig({ ERP_TOOL_MODE: 'discover' }).toolMode).toBe('discover');
    expect(loadConfig({ ERP_TOOL_MODE: 'discover' }, { tools: 'full' }).toolMode).toBe('full');
    expect(() => loadConfig({}, { tools: 'some' })).toThrow(/ERP_TOOL_MODE \(--tools\) must be full or discover/);
  });

  it('refuses an unknown toolset naming the choices', () => {
    expect(() => loadConfig({ ERP_TOOLSETS: 'sales,payroll' })).toThrow(
      /unknown toolset payroll; choose from router, sales/,
    );
  });

  it('refuses a DATABASE_URL that is not PostgreSQL and a bad port', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres/);
    expect(() => loadConfig({ ERP_HTTP_PORT: '99999' })).toThrow(/ERP_HTTP_PORT/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', ERP_USER: ' ' }).user).toBe('admin@erp.local');
  });
});
