import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isVigilError } from '../../errors.js';
import { detectFileType } from './file-type.js';
import * as sample from './file-samples.fixture.js';

async function refusal(content: Buffer): Promise<{ id: string; status: number; message: string }> {
  try {
    await detectFileType(content);
  } catch (error) {
    assert.ok(isVigilError(error), String(error));
    return { id: error.id, status: error.status, message: error.message };
  }
  assert.fail('the content was accepted');
}

describe('file type by content', () => {
  it('accepts the allowed kinds and names them by their content', async () => {
    const cases: [string, Buffer, string][] = [
      ['png', sample.png(), 'image/png'],
      ['pdf', sample.pdf(), 'application/pdf'],
      ['text', sample.text(), 'text/plain'],
      ['csv', Buffer.from('name,date\nFictional Person,2021-05\n'), 'text/plain'],
      ['docx', sample.docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['xlsx', sample.xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['odt', sample.odt(), 'application/vnd.oasis.opendocument.text'],
    ];
    for (const [name, content, expected] of cases) assert.equal((await detectFileType(content)).mediaType, expected, name);
  });

  it('refuses markup, scripts, programs and plain archives, naming what the content is', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['html', sample.html(), /an HTML page \(text\/html/],
      ['svg', sample.svg(), /an SVG image .*\(image\/svg\+xml/],
      ['svg without xml declaration', Buffer.from('  <svg xmlns="http://www.w3.org/2000/svg"></svg>'), /SVG/],
      ['html after a byte-order mark', Buffer.from('\uFEFF\n<html><script>1</script></html>'), /HTML/],
      ['shell script', Buffer.from('#!/bin/sh\nrm -rf /\n'), /a script/],
      ['elf', sample.elf(), /an executable program \(ELF\) \(application\/x-elf/],
      ['zip', sample.plainZip(), /a ZIP archive \(application\/zip/],
      ['text with NUL bytes', Buffer.from('t\u0000e\u0000x\u0000t\u0000', 'latin1'), /binary data of no known type/],
      ['invalid utf-8', Buffer.from([0x66, 0xff, 0xfe, 0x66]), /application\/octet-stream/],
    ];
    for (const [name, content, message] of cases) {
      const error = await refusal(content);
      assert.equal(error.status, 415, name);
      assert.equal(error.id, 'file_type_refused', name);
      assert.match(error.message, message, name);
      assert.match(error.message, /Vigil stores only PDF/, name);
    }
  });

  it('refuses an empty file', async () => {
    const error = await refusal(Buffer.alloc(0));
    assert.equal(error.id, 'file_empty');
  });
});
