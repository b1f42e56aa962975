import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spreadsheetSafe } from './opendata.service.js';

test('texts a spreadsheet would run as formulas are defused; ordinary values are kept', () => {
  for (const formula of ['=cmd|/C calc!A0', '+1+1', '@SUM(A1)', '\t=1', '\r=1', '-cmd']) assert.equal(spreadsheetSafe(formula), `'${formula}`);
  for (const plain of ['', 'Лосік', '361-1', '2021-05', '-5', '-0.5', 'a=b', "O'Brien"]) assert.equal(spreadsheetSafe(plain), plain);
});
