import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let member: TestUser;
let outsider: TestUser;

// This server accepts only these (the default list also has GIF, WebP, ZIP, Office and RTF).
process.env.UPLOAD_ALLOWED_TYPES = 'application/pdf, image/png, text/plain, text/csv, text/markdown';

beforeAll(async () => {
  ctx = await startTestServer();
  member = await ctx.newUser('Member');
  outsider = await ctx.newUser('Tester');
});
afterAll(async () => {
  await ctx?.close();
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a50000000049454e44ae426082',
  'hex',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** The start of a Windows executable: `MZ`, then a PE header offset. */
const EXE = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(200, 0)]);

async function upload(client: HttpClient, name: string, bytes: Buffer, type = 'application/pdf', url = ctx.url) {
  const form = new FormData();
  // The client's declared type is a lie on purpose: only the bytes count.
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(`${url}/api/library/files`, {
    method: 'POST',
    body: form,
    headers: { cookie: client.cookieHeader(), origin: url },
  });
  return {
    status: res.status,
    body: (await res.json()) as { id: string; error?: { code: string; fields?: Record<string, string> } },
  };
}

const storedFiles = () => mongoose.connection.collection('library.files').countDocuments();

async function fileOf(id: string) {
  return (await member.client.get(`/api/library/documents/${id}`)).body.document.file;
}

describe('upload types come from the bytes', () => {
  it.each([
    ['exe bytes named .pdf', 'report.pdf', EXE],
    ['exe bytes named .exe', 'setup.exe', EXE],
    ['a PNG named .pdf', 'scan.pdf', PNG],
    ['binary with NULs named .txt', 'notes.txt', Buffer.from([0x68, 0x69, 0x00, 0x01, 0x02, 0x00, 0x7f])],
    ['invalid UTF-8 named .txt', 'latin.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x28, 0xff])],
    ['a shell script', 'install.sh', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['an HTML page', 'page.html', Buffer.from('<html><script>alert(1)</script></html>')],
  ])('refuses %s (400 on `file`), storing nothing', async (_what, name, bytes) => {
    const before = await storedFiles();
    const res = await upload(member.client, name, bytes);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('validation_failed');
    expect(res.body.error?.fields).toHaveProperty('file');
    expect(await storedFiles()).toBe(before);
  });

  it('accepts a real PDF, a PNG and text files with the sniffed type as their badge', async () => {
    const pdf = await upload(member.client, 'brochure.pdf', PDF, 'application/x-msdownload');
    expect(pdf.status).toBe(201);
    expect(await fileOf(pdf.body.id)).toMatchObject({ contentType: 'application/pdf', size: PDF.length });
    const png = await upload(member.client, 'logo.png', PNG, 'text/html');
    expect(png.status).toBe(201);
    expect((await fileOf(png.body.id)).contentType).toBe('image/png');
    const text = await upload(member.client, 'readme.txt', Buffer.from('Привет, мир — hello\n'), 'image/png');
    expect(text.status).toBe(201);
    expect((await fileOf(text.body.id)).contentType).toBe('text/plain');
    const csv = await upload(member.client, 'rates.csv', Buffer.from('name,rate\nAnn,40\n'));
    expect((await fileOf(csv.body.id)).contentType).toBe('text/csv');
    const md = await upload(member.client, 'notes.md', Buffer.from('# Notes\n\n- one\n'));
    expect((await fileOf(md.body.id)).contentType).toBe('text/markdown');
  });
});

describe('preview', () => {
  async function preview(client: HttpClient, id: string) {
    return fetch(`${ctx.url}/api/library/documents/${id}/preview`, { headers: { cookie: client.cookieHeader() } });
  }

  it('images inline in a sandbox, with the sniffed type and nosniff', async () => {
    const { body } = await upload(member.client, 'photo.txt', PNG);
    const res = await preview(member.client, body.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="?photo\.txt"?$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('sandbox');
    expect(csp).toContain("default-src 'none'");
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('PDFs inline with nothing else allowed to load; framing only by the app', async () => {
    const { body } = await upload(member.client, 'doc.pdf', PDF);
    const res = await preview(member.client, body.id);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toMatch(/script-src/);
  });

  it('anything else only as an attachment; outsiders get 404', async () => {
    const { body } = await upload(member.client, 'page.pdf', Buffer.from('<script>alert(1)</script>'));
    const res = await preview(member.client, body.id);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect((await preview(outsider.client, body.id)).status).toBe(404);
    expect((await fetch(`${ctx.url}/api/library/documents/${body.id}/preview`)).status).toBe(401);
  });
});

describe('UPLOAD_ALLOWED_TYPES', () => {
  it("decides what is accepted: a GIF, allowed by default, is refused under this file's list", async () => {
    const gif = Buffer.from(
      '47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b',
      'hex',
    );
    const res = await upload(member.client, 'anim.gif', gif, 'image/gif');
    expect(res.status).toBe(400);
    expect(res.body.error?.fields?.file).toMatch(/image\/gif/);
  });
});
