// A small Letterboxd export for the e2e: the API tests' fixture CSVs (real demo-catalog titles)
// zipped the way the site does it, with the members stored uncompressed (any zip reader, and
// ours, reads both). Expected: 13 titles, 10 matched, 3 unmatched (crates/api/tests/api/import.rs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const FIXTURES = fileURLToPath(new URL('../../crates/api/tests/fixtures/imports/letterboxd/', import.meta.url));
const MEMBERS = ['ratings.csv', 'diary.csv', 'watched.csv', 'likes/films.csv', 'watchlist.csv'];

/** What the import of this export must report. */
export const EXPECTED = { matched: 10, unmatched: 3 };

/** The export as zip bytes. */
export function letterboxdZip() {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const name of MEMBERS) {
    const data = readFileSync(FIXTURES + name);
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(MEMBERS.length, 8);
  end.writeUInt16LE(MEMBERS.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
