import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalImageRef, parseNumber, SaveArchiveRefused, SaveArchiveScanner, tagsOfSaveArchive } from './docker-save-tags';
import { tarHeader } from './image-pack';

/** One tar entry: a valid ustar header (any field edited, checksum fixed), its data and padding. */
function entry(name: string, data: string | Buffer = '', type = '0', edit?: (h: Buffer) => void): Buffer {
  const body = Buffer.from(data);
  const h = tarHeader(name, body.length, 0);
  h.write(type, 156, 'latin1');
  edit?.(h);
  fixChecksum(h);
  return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

/** A header-only entry (link, directory) whose size field still says `size`. */
function headerOnly(name: string, type: string, linkname = '', size = 0): Buffer {
  return entry(name, '', type, (h) => {
    h.write(linkname, 157, 'utf8');
    h.write(`${size.toString(8).padStart(11, '0')}\u0000`, 124, 'latin1');
  });
}

function fixChecksum(h: Buffer): void {
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
}

function pax(records: Record<string, string>, type = 'x'): Buffer {
  const body = Object.entries(records)
    .map(([k, v]) => {
      const line = ` ${k}=${v}\n`;
      let n = Buffer.byteLength(line) + 1;
      while (String(n).length + Buffer.byteLength(line) !== n) n++;
      return `${n}${line}`;
    })
    .join('');
  return entry('PaxHeaders/x', body, type);
}

const END = Buffer.alloc(1024);
const manifest = (...tags: string[]): string => JSON.stringify([{ Config: 'c.json', RepoTags: tags, Layers: ['l/layer.tar'] }]);
const tar = (...parts: Buffer[]): Buffer => Buffer.concat([...parts, END]);
const refusal = (archive: Buffer): string => {
  try {
    tagsOfSaveArchive(archive);
  } catch (err) {
    expect(err).toBeInstanceOf(SaveArchiveRefused);
    return (err as Error).message;
  }
  throw new Error('the archive was not refused');
};

/** What docker save wrote on this project's engine (legacy layout), in miniature. */
const SAVED = tar(
  entry('c.json', '{}'),
  headerOnly('0123abcd/', '5'),
  entry('0123abcd/VERSION', '1.0'),
  entry('0123abcd/layer.tar', Buffer.alloc(3000, 7)),
  entry('manifest.json', manifest('busybox:latest', 'netlab/tools:1.0')),
  entry('repositories', JSON.stringify({ busybox: { latest: '0123abcd' }, 'netlab/tools': { '1.0': '0123abcd' } })),
);

describe('tagsOfSaveArchive', () => {
  it('reads the tags of manifest.json and repositories', () => {
    expect(tagsOfSaveArchive(SAVED).sort()).toEqual(['busybox:latest', 'netlab/tools:1.0']);
  });

  it('gives the same tags whatever the chunking', () => {
    for (const size of [1, 7, 511, 512, 513, 4096]) {
      const scanner = new SaveArchiveScanner();
      for (let i = 0; i < SAVED.length; i += size) scanner.write(SAVED.subarray(i, i + size));
      expect(scanner.end().sort(), `chunks of ${size}`).toEqual(['busybox:latest', 'netlab/tools:1.0']);
    }
  });

  it('finds a tag file under another spelling of its name, as the engine unpacks it', () => {
    for (const name of ['./manifest.json', 'x/../manifest.json', '/manifest.json', 'manifest.json/']) {
      expect(tagsOfSaveArchive(tar(entry(name, manifest('evil:1')))), name).toEqual(['evil:1']);
    }
  });

  it('follows pax paths and GNU long names, the long name winning as in Go', () => {
    expect(tagsOfSaveArchive(tar(pax({ path: 'manifest.json' }), entry('harmless', manifest('evil:1'))))).toEqual(['evil:1']);
    expect(tagsOfSaveArchive(tar(entry('././@LongLink', 'manifest.json\u0000', 'L'), entry('harmless', manifest('evil:2'))))).toEqual(['evil:2']);
    const both = tar(pax({ path: 'other' }), entry('././@LongLink', 'repositories', 'L'), entry('harmless', JSON.stringify({ evil: { '3': 'x' } })));
    expect(tagsOfSaveArchive(both)).toEqual(['evil:3']);
    // A global header is an entry of its own in Go: a pax path before it applies to nothing,
    expect(tagsOfSaveArchive(tar(pax({ path: 'manifest.json' }), pax({ comment: 'g' }, 'g'), entry('harmless', manifest('x:1'))))).toEqual([]);
    // and its own path renames nothing after it, even an entry with a pax header of its own (tar-stream would).
    expect(tagsOfSaveArchive(tar(pax({ path: 'harmless' }, 'g'), pax({ comment: 'x' }), entry('manifest.json', manifest('evil:4'))))).toEqual(['evil:4']);
  });

  it('cuts a name at its first NUL, as Go does, even when a newline follows (node-tar would not)', () => {
    const named = entry('x', manifest('evil:1'), '0', (h) => {
      h.fill(0, 0, 100);
      h.write('manifest.json\u0000\nx', 0, 'latin1');
    });
    expect(tagsOfSaveArchive(tar(named))).toEqual(['evil:1']);
  });

  it('takes the size from a pax record, and none for links and directories, as Go does', () => {
    // The header says 1024 bytes, the pax record 0: the next header follows at once.
    const hidden = tar(pax({ size: '0' }), entry('blob', Buffer.alloc(1024)).subarray(0, 512), entry('manifest.json', manifest('evil:1')));
    expect(tagsOfSaveArchive(hidden)).toEqual(['evil:1']);
    for (const type of ['1', '2', '5']) {
      const archive = tar(headerOnly('l', type, 'target', 1024), entry('manifest.json', manifest(`evil:${type}`)));
      expect(tagsOfSaveArchive(archive), `type ${type}`).toEqual([`evil:${type}`]);
    }
  });

  it('reads Go’s case-insensitive JSON fields, ſ and K included', () => {
    const odd = JSON.stringify([{ repotags: ['a:1'] }, { REPOTAGS: ['b:1'], RepoTagſ: ['c:1'] }, { RepoTags: null }]);
    expect(tagsOfSaveArchive(tar(entry('manifest.json', odd))).sort()).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it('reads the image names of an OCI index.json as containerd does', () => {
    const index = JSON.stringify({
      manifests: [
        { annotations: { 'io.containerd.image.name': 'docker.io/library/busybox:latest', 'org.opencontainers.image.ref.name': 'latest' } },
        { Annotations: { 'org.opencontainers.image.ref.name': 'evil:1' } },
        { annotations: null },
      ],
    });
    expect(tagsOfSaveArchive(tar(entry('index.json', index)))).toEqual(['docker.io/library/busybox:latest', 'evil:1']);
  });

  it('ignores what follows the end of the archive', () => {
    expect(tagsOfSaveArchive(Buffer.concat([SAVED, entry('manifest.json', manifest('after:1'))]))).not.toContain('after:1');
  });

  it('refuses a tag file that is a link, or that lies behind one', () => {
    expect(refusal(tar(entry('x.json', manifest('evil:1')), headerOnly('manifest.json', '2', 'x.json')))).toMatch(/manifest\.json as a symbolic link/);
    expect(refusal(tar(entry('x', '{}'), headerOnly('repositories', '1', 'x')))).toMatch(/repositories as a hard link/);
    expect(refusal(tar(headerOnly('index.json', '5')))).toMatch(/index\.json as a directory/);
    expect(refusal(tar(headerOnly('d', '2', '.'), entry('d/manifest.json', manifest('evil:1'))))).toMatch(/lies behind the link d/);
  });

  it('refuses what Go could read otherwise: compressed, foreign or sparse archives, odd entry kinds', () => {
    // Incompressible content, so the gzip stream is longer than one header.
    expect(refusal(gzipSync(tar(entry('noise', randomBytes(2048)))))).toMatch(/not ustar, pax or GNU tar/);
    const v7 = entry('manifest.json', manifest('evil:1'), '0', (h) => h.fill(0, 257, 265));
    expect(refusal(tar(v7))).toMatch(/not ustar/);
    const star = entry('manifest.json', manifest('evil:1'), '0', (h) => h.write('tar\u0000', 508, 'latin1'));
    expect(refusal(tar(star))).toMatch(/star archive/);
    expect(refusal(tar(entry('f', 'x', 'S')))).toMatch(/GNU sparse file/);
    expect(refusal(tar(pax({ 'GNU.sparse.major': '1' }), entry('f', 'x')))).toMatch(/sparse/);
    expect(refusal(tar(headerOnly('null', '3')))).toMatch(/character device/);
    expect(refusal(tar(entry('f', 'x', 'Z')))).toMatch(/entry type "Z"/);
    const garbled = entry('manifest.json', manifest('evil:1'));
    garbled[0] = 0x4d;
    expect(refusal(tar(garbled))).toMatch(/checksum/);
    expect(refusal(SAVED.subarray(0, 700))).toMatch(/ends inside an entry/);
  });

  it('refuses tag files that are not what docker save writes', () => {
    expect(refusal(tar(entry('manifest.json', '[{')))).toMatch(/manifest\.json is not JSON/);
    expect(refusal(tar(entry('manifest.json', '{"RepoTags":["a:1"]}')))).toMatch(/not as docker save writes it/);
    expect(refusal(tar(entry('manifest.json', '[{"RepoTags":"a:1"}]')))).toMatch(/not as docker save writes it/);
    expect(refusal(tar(entry('repositories', '{"a":["1"]}')))).toMatch(/not as docker save writes it/);
    expect(refusal(tar(pax({ size: 'ten' }), entry('f', 'x')))).toMatch(/pax size/);
    expect(refusal(tar(entry('PaxHeaders/x', '99 path=x\n', 'x'), entry('f')))).toMatch(/pax header is malformed/);
  });
});

describe('parseNumber', () => {
  it('reads octal, space/NUL padded, and base-256 from 8 GiB up', () => {
    expect(parseNumber(Buffer.from('00000000644\u0000'))).toBe(0o644);
    expect(parseNumber(Buffer.from('   1750 \u0000'))).toBe(0o1750);
    const big = 10 * 1024 ** 3 + 5;
    const field = Buffer.alloc(12);
    field[0] = 0x80;
    field.writeUIntBE(big, 6, 6);
    expect(parseNumber(field)).toBe(big);
  });

  it('refuses junk, empty fields, negative and unsafe base-256 numbers rather than read them another way', () => {
    expect(parseNumber(Buffer.from('12a4\u0000'))).toBeUndefined();
    expect(parseNumber(Buffer.from('\u0000\u0000'))).toBeUndefined();
    expect(parseNumber(Buffer.from('\u0000 0000660\u0000 '))).toBeUndefined();
    expect(parseNumber(Buffer.from([0xff, 0xff, 0xff]))).toBeUndefined();
    expect(parseNumber(Buffer.from([0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
  });
});

describe('canonicalImageRef', () => {
  it('spells a reference as Docker normalises it', () => {
    expect(canonicalImageRef('busybox')).toBe('docker.io/library/busybox:latest');
    expect(canonicalImageRef('busybox:latest')).toBe('docker.io/library/busybox:latest');
    expect(canonicalImageRef('docker.io/library/busybox:latest')).toBe('docker.io/library/busybox:latest');
    expect(canonicalImageRef('index.docker.io/busybox')).toBe('docker.io/library/busybox:latest');
    expect(canonicalImageRef('netlab/tools:1.0')).toBe('docker.io/netlab/tools:1.0');
    expect(canonicalImageRef('localhost:5000/x')).toBe('localhost:5000/x:latest');
    expect(canonicalImageRef('registry.example/x/y:2')).toBe('registry.example/x/y:2');
    expect(canonicalImageRef('localhost/x:1')).toBe('localhost/x:1');
    expect(canonicalImageRef(`x@sha256:${'a'.repeat(64)}`)).toBe(`x@sha256:${'a'.repeat(64)}`);
  });
});

describe('SaveArchiveScanner platforms', () => {
  const config = (architecture: string, extra: Record<string, unknown> = {}): Buffer =>
    Buffer.from(JSON.stringify({ architecture, os: 'linux', ...extra, rootfs: { type: 'layers', diff_ids: [] } }));
  const idOf = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  const scan = (archive: Buffer, ids: string[]): Map<string, unknown> => {
    const scanner = new SaveArchiveScanner(ids);
    scanner.write(archive);
    scanner.end();
    return scanner.platforms();
  };

  it('reads the architecture of the asked-for configs, in the legacy and the OCI layout', () => {
    const arm = config('arm64', { variant: 'v8' });
    const amd = config('amd64');
    const archive = tar(entry(`${idOf(arm)}.json`, arm), entry(`blobs/sha256/${idOf(amd)}`, amd), entry('manifest.json', manifest()));
    expect(scan(archive, [`sha256:${idOf(arm)}`, idOf(amd)])).toEqual(
      new Map([
        [`sha256:${idOf(arm)}`, { architecture: 'arm64', os: 'linux', variant: 'v8' }],
        [`sha256:${idOf(amd)}`, { architecture: 'amd64', os: 'linux' }],
      ]),
    );
    // Not asked for: not read.
    expect(scan(archive, [idOf(amd)])).toEqual(new Map([[`sha256:${idOf(amd)}`, { architecture: 'amd64', os: 'linux' }]]));
  });

  it('ignores a config stored under another image’s id, and files that are no config', () => {
    const arm = config('arm64');
    const amd = config('amd64');
    // The arm64 config's bytes under the amd64 config's name: its hash differs from the name, so it says nothing.
    expect(scan(tar(entry(`${idOf(amd)}.json`, arm)), [idOf(amd)])).toEqual(new Map());
    const notJson = Buffer.from('not json');
    expect(scan(tar(entry(`${idOf(notJson)}.json`, notJson)), [idOf(notJson)])).toEqual(new Map());
  });
});
