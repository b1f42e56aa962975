/**
 * The accountability report as CSV for analysts: one row per group (official, court or facility) with
 * its counts, or (`rows: 'items'`) one row per documented case, event or violation with its group.
 * Cells are defused against spreadsheet formulas, as in open data: these files are opened in
 * spreadsheets by people who did not write them, and are not for re-import.
 */
import { stringify } from 'csv-stringify/sync';
import { VIOLATION_TYPES } from '../../domain/casework.js';
import { spreadsheetSafe } from '../opendata/opendata.service.js';
import { GROUP_DETAILS, type AccountabilityReport, type ReportGroup, type ReportItem } from './accountability.service.js';

export const CSV_ROWS = ['groups', 'items'] as const;
export type CsvRows = (typeof CSV_ROWS)[number];

type Cell = string | number | null;

const officials = (list: readonly { name: string; role: string }[]) => list.map((o) => `${o.name} (${o.role})`).join('; ');
const sources = (item: ReportItem) => item.sources.map((s) => [s.title ?? s.citation, s.url].filter(Boolean).join(' ')).join('; ');

function groupCells(report: AccountabilityReport, group: ReportGroup): Record<string, Cell> {
  return {
    by: report.by, key: group.key, name: group.name,
    ...Object.fromEntries(GROUP_DETAILS[report.by].map((key) => [`detail_${key}`, group.details[key] ?? null])),
    officials: officials(group.officials),
  };
}

function groupRows(report: AccountabilityReport): Record<string, Cell>[] {
  return report.groups.map((group) => ({
    ...groupCells(report, group),
    cases: group.counts.cases, events: group.counts.events, violations: group.counts.violations,
    ...Object.fromEntries(VIOLATION_TYPES.map((type) => [type, group.counts[type]])),
    persons: group.counts.persons, term_months_total: group.counts.term_months,
    person_ids: [...new Set(group.items.map((item) => item.person.external_id))].join(';'),
  }));
}

function itemRows(report: AccountabilityReport): Record<string, Cell>[] {
  return report.groups.flatMap((group) => group.items.map((item) => ({
    ...groupCells(report, group),
    item_kind: item.kind, item_id: item.id, person_id: item.person.external_id, person_name: item.person.name, date: item.date, summary: item.summary,
    role: item.role, violation_type: item.violation_type, term_months: item.term_months, description: item.description,
    item_officials: officials(item.officials), facility: item.facility, sources: sources(item), confidentiality: item.confidentiality,
  })));
}

const GROUP_COUNTS = ['cases', 'events', 'violations', ...VIOLATION_TYPES, 'persons', 'term_months_total', 'person_ids'];
const ITEM_COLUMNS = ['item_kind', 'item_id', 'person_id', 'person_name', 'date', 'summary', 'role', 'violation_type', 'term_months', 'description', 'item_officials', 'facility', 'sources', 'confidentiality'];

export function accountabilityCsv(report: AccountabilityReport, rows: CsvRows = 'groups'): string {
  const records = rows === 'items' ? itemRows(report) : groupRows(report);
  const columns = ['by', 'key', 'name', ...GROUP_DETAILS[report.by].map((key) => `detail_${key}`), 'officials', ...(rows === 'items' ? ITEM_COLUMNS : GROUP_COUNTS)];
  const cells = records.map((record) => columns.map((column) => spreadsheetSafe(record[column] === null || record[column] === undefined ? '' : String(record[column]))));
  return stringify(cells, { header: true, columns, record_delimiter: 'windows' });
}
