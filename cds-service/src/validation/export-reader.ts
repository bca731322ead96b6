/**
 * Reads a site's data for validation, one patient at a time, with memory bounded by one partition
 * of the export plus the largest patient, not by the export.
 *
 * A FHIR Bulk Data export (`$export`, HL7 Bulk Data Access IG 2.0,
 * https://hl7.org/fhir/uv/bulkdata/) is a folder of NDJSON files, each holding resources of one
 * type, optionally gzip-compressed: grouped by resource type, not by patient. Two passes regroup
 * it: the first streams every file line by line and appends each line (prefixed with its patient
 * id) to one of B spill files on disk chosen by a hash of the patient id, with B chosen so a spill
 * file holds about 8 MB; the second reads one spill file at a time and groups its lines by
 * patient. Resources that belong to no patient (Medication) are kept aside and attached to the
 * patients whose requests reference them.
 *
 * A folder of bundles (one patient per file, as the eval reads) needs no regrouping: the unit
 * names the file and the worker reads it.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  createReadStream,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Resource } from '@rationale/shared-types';

/**
 * One patient's data, in the form a lane process receives it. An export's patient is its NDJSON
 * lines as UTF-8 bytes, each line ended by a newline: this thread only copies them out of the
 * partition (no string per line, no parse), and the pool sends the bytes to a lane process as they
 * are instead of as strings. Strings are made where the patient is
 * replayed, a line at a time (`unitLines`): one string per patient would be a large object, which
 * V8 frees only at a full collection.
 */
export type PatientUnit =
  | { kind: 'ndjson'; patientId: string; ndjson: Uint8Array }
  | { kind: 'bundle-file'; patientId: string; path: string }
  | SpillUnit;

/**
 * A patient of a partitioned export left where it is: the byte ranges of its lines in a spill file
 * on this machine and the Medication lines they reference. The lane that replays it reads the bytes
 * (`readSpillUnit`), so the process reading the export never holds a patient's data.
 */
export interface SpillUnit {
  kind: 'spill';
  patientId: string;
  path: string;
  /** [start, end) byte offsets of each line in `path`, flattened, in order. */
  ranges: number[];
  /** The Medication resources its lines reference, one NDJSON line each. */
  medications: string[];
}

/** A patient's NDJSON unit from its lines (one resource each, without newlines). */
export function ndjsonUnit(
  patientId: string,
  lines: readonly string[],
): Extract<PatientUnit, { kind: 'ndjson' }> {
  return { kind: 'ndjson', patientId, ndjson: Buffer.from(lines.map((l) => `${l}\n`).join('')) };
}

/** The lines of an NDJSON unit, blank lines left out. */
export function unitLines(unit: Extract<PatientUnit, { kind: 'ndjson' }>): string[] {
  const bytes = Buffer.from(unit.ndjson.buffer, unit.ndjson.byteOffset, unit.ndjson.byteLength);
  const out: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      const line = bytes.toString('utf8', start, end);
      if (line.trim()) out.push(line);
    }
    start = end + 1;
  }
  return out;
}

/** The resource types the record gatherer reads (fhir/record.ts recordFromResources). */
export const RECORD_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'Medication',
  'AllergyIntolerance',
  'Encounter',
  'Procedure',
  'ServiceRequest',
  'CarePlan',
]);

const EXPORT_FILE = /\.(ndjson|jsonl)(\.gz)?$/i;
const TARGET_PARTITION_BYTES = 8 * 1024 * 1024;
/** Compressed NDJSON of FHIR resources typically inflates about tenfold. */
const GZIP_RATIO = 10;
const FLUSH_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const TAB = 0x09;
const P = 0x50;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MEDICATION_REF = 'Medication/';
const MEDICATION_REFERENCE = /"reference"\s*:\s*"(?:[^"]*\/)?Medication\/([^"/]+)"/g;
/** What `spillUnits` reads a partition through. */
const SCAN_CHUNK_BYTES = 256 * 1024;
/** Lines of a spill unit at most this far apart are read in one call. */
const SPILL_READ_GAP = 4096;

/** The NDJSON files of an export folder, sorted by name. */
export function exportFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => EXPORT_FILE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function lines(path: string): AsyncIterable<string> {
  const stream = createReadStream(path);
  return createInterface({
    input: /\.gz$/i.test(path) ? stream.pipe(createGunzip()) : stream,
    crlfDelay: Infinity,
  });
}

/** `Patient/123`, `urn:uuid:123` or a full URL ending in `Patient/123` → `123`. */
export function patientIdOf(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  const m = /(?:^|\/)Patient\/([^/]+?)(?:\/_history\/[^/]+)?$/.exec(reference);
  if (m) return m[1];
  if (reference.startsWith('urn:uuid:')) return reference.slice('urn:uuid:'.length);
  return undefined;
}

/** The patient a resource belongs to (its Patient compartment), or undefined. */
export function ownerOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  return patientIdOf(r.subject?.reference ?? r.patient?.reference);
}

function bucketOf(patientId: string, buckets: number): number {
  return createHash('sha1').update(patientId).digest().readUInt32BE(0) % buckets;
}

export interface PartitionStats {
  files: number;
  lines: number;
  /** Lines of resource types the model does not read (skipped). */
  skipped: number;
  /** Lines that were not JSON or belong to no patient. */
  unreadable: number;
  patients: number;
  partitions: number;
}

export interface PartitionedExport {
  stats: PartitionStats;
  /** Patients in a stable order: partition by partition, by patient id within each. */
  units(): Generator<Extract<PatientUnit, { kind: 'ndjson' }>>;
  /**
   * The same patients in the same order as references into the spill files (`SpillUnit`), for lanes
   * on this machine: each partition is scanned through one small reused buffer, and no patient's
   * bytes are copied here.
   */
  spillUnits(): Generator<SpillUnit>;
}

/**
 * First pass over an export folder: spills every line the model reads into hash partitions under
 * `spillDir` (created; the caller removes it). Memory: the Medication resources plus at most
 * 4 MB of buffered writes. Kept small on purpose: a buffered line outlives the young generation and
 * is promoted, then dropped at its write, so with 32 MB buffered the old generation swelled to a
 * 401 MB peak on a 20,000-patient export (187 MB with 4 MB, 64 KB per partition; same files).
 */
export async function partitionExport(dir: string, spillDir: string): Promise<PartitionedExport> {
  const files = exportFiles(dir);
  if (files.length === 0) throw new Error(`${dir}: no .ndjson or .ndjson.gz files`);
  const estimated = files.reduce((n, f) => n + statSync(f).size * (/\.gz$/i.test(f) ? GZIP_RATIO : 1), 0);
  const partitions = Math.min(1024, Math.max(1, Math.ceil(estimated / TARGET_PARTITION_BYTES)));
  mkdirSync(spillDir, { recursive: true });
  const buffers: string[][] = Array.from({ length: partitions }, () => []);
  const bufferedBytes = new Array<number>(partitions).fill(0);
  let totalBuffered = 0;
  const flush = (b: number) => {
    if (bufferedBytes[b] === 0) return;
    appendFileSync(join(spillDir, `${b}.part`), buffers[b]!.join(''));
    totalBuffered -= bufferedBytes[b]!;
    buffers[b] = [];
    bufferedBytes[b] = 0;
  };
  const medications = new Map<string, string>();
  const patients = new Set<string>();
  const stats: PartitionStats = {
    files: files.length,
    lines: 0,
    skipped: 0,
    unreadable: 0,
    patients: 0,
    partitions,
  };

  for (const file of files) {
    let fileType: string | undefined;
    for await (const line of lines(file)) {
      if (!line.trim()) continue;
      stats.lines++;
      // Each file holds one resource type (Bulk Data IG): skip whole files the model never reads
      // without parsing every line.
      if (fileType !== undefined && !RECORD_TYPES.has(fileType)) {
        stats.skipped++;
        continue;
      }
      let resource: Resource;
      try {
        resource = JSON.parse(line) as Resource;
      } catch {
        stats.unreadable++;
        continue;
      }
      fileType ??= resource.resourceType;
      if (!RECORD_TYPES.has(resource.resourceType)) {
        stats.skipped++;
        continue;
      }
      if (resource.resourceType === 'Medication') {
        if (resource.id) medications.set(resource.id, line);
        continue;
      }
      const owner = ownerOf(resource);
      if (!owner || owner.includes('\t')) {
        stats.unreadable++;
        continue;
      }
      if (resource.resourceType === 'Patient') patients.add(owner);
      const b = bucketOf(owner, partitions);
      const entry = `${owner}\t${resource.resourceType === 'Patient' ? 'P' : 'R'}${line}\n`;
      buffers[b]!.push(entry);
      bufferedBytes[b]! += entry.length;
      totalBuffered += entry.length;
      if (bufferedBytes[b]! >= FLUSH_BYTES) flush(b);
      if (totalBuffered >= MAX_BUFFERED_BYTES) for (let i = 0; i < partitions; i++) flush(i);
    }
  }
  for (let i = 0; i < partitions; i++) flush(i);
  stats.patients = patients.size;
  patients.clear();

  function* units(): Generator<Extract<PatientUnit, { kind: 'ndjson' }>> {
    for (let b = 0; b < partitions; b++) {
      // Read as bytes, outside the JavaScript heap: a partition read as one string would be a large
      // object that V8 frees only at a full collection, so partitions read one after another
      // would pile up; a Buffer is freed as soon as it is unreachable, and its size pushes V8 to
      // collect. Each line becomes a string only when its patient is handed on.
      let text: Buffer;
      try {
        text = readFileSync(join(spillDir, `${b}.part`));
      } catch {
        continue; // an empty partition was never written
      }
      /**
       * Per patient: its lines, flattened as [start, end) byte ranges and 1 when the line names a
       * Medication (else 0).
       */
      const byPatient = new Map<string, number[]>();
      const hasPatient = new Set<string>();
      // The next "Medication/" at or after the current line: one forward scan for the partition.
      let medAt = -1;
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf(NEWLINE, start);
        if (end < 0) end = text.length;
        const tab = text.indexOf(TAB, start);
        const owner = text.toString('utf8', start, tab);
        // After the tab: P for the Patient resource, R for any other, then the line.
        if (text[tab + 1] === P) hasPatient.add(owner);
        if (medAt !== -2 && medAt < start) {
          medAt = text.indexOf(MEDICATION_REF, start);
          if (medAt < 0) medAt = -2; // none left in this partition
        }
        const med = medAt >= 0 && medAt < end ? 1 : 0;
        const list = byPatient.get(owner);
        if (list) list.push(tab + 2, end, med);
        else byPatient.set(owner, [tab + 2, end, med]);
        start = end + 1;
      }
      for (const id of [...byPatient.keys()].sort()) {
        // Resources of a patient missing from the export cannot make a record: skipped.
        if (!hasPatient.has(id)) continue;
        const ranges = byPatient.get(id)!;
        // The bytes of its lines, each with its newline; Medications its lines reference appended.
        // Only a line that names a Medication is decoded, to read which.
        const referenced = new Set<string>();
        let size = 0;
        for (let k = 0; k < ranges.length; k += 3) {
          size += ranges[k + 1]! - ranges[k]! + 1;
          if (!ranges[k + 2]) continue;
          const line = text.toString('utf8', ranges[k], ranges[k + 1]);
          for (const m of line.matchAll(/"reference"\s*:\s*"(?:[^"]*\/)?Medication\/([^"/]+)"/g))
            referenced.add(m[1]!);
        }
        const meds: Buffer[] = [];
        for (const medId of referenced) {
          const med = medications.get(medId);
          if (med) meds.push(Buffer.from(`${med}\n`));
        }
        const ndjson = Buffer.allocUnsafeSlow(size + meds.reduce((n, b) => n + b.length, 0));
        let at = 0;
        for (let k = 0; k < ranges.length; k += 3) {
          at += text.copy(ndjson, at, ranges[k], ranges[k + 1]);
          ndjson[at++] = NEWLINE;
        }
        for (const med of meds) at += med.copy(ndjson, at);
        yield { kind: 'ndjson', patientId: id, ndjson };
      }
    }
  }

  function* spillUnits(): Generator<SpillUnit> {
    let chunk = Buffer.allocUnsafeSlow(SCAN_CHUNK_BYTES);
    for (let b = 0; b < partitions; b++) {
      const path = join(spillDir, `${b}.part`);
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        continue; // an empty partition was never written
      }
      const byPatient = new Map<string, { ranges: number[]; medications: Set<string> }>();
      const hasPatient = new Set<string>();
      try {
        let chunkAt = 0; // file offset of chunk[0]
        let filled = 0;
        let start = 0; // the current line, in chunk
        let eof = false;
        let medAt = -1; // as in units(): the next "Medication/" at or after the line, -2: none in chunk
        for (;;) {
          let end = start < filled ? chunk.indexOf(NEWLINE, start) : -1;
          if (end >= filled) end = -1;
          if (end < 0 && !eof) {
            // Keep the partial line, read on; a line longer than the buffer grows it.
            if (start === 0 && filled === chunk.length) {
              const bigger = Buffer.allocUnsafeSlow(chunk.length * 2);
              chunk.copy(bigger, 0, 0, filled);
              chunk = bigger;
            } else if (start > 0) {
              chunk.copy(chunk, 0, start, filled);
              chunkAt += start;
              filled -= start;
              start = 0;
            }
            const n = readSync(fd, chunk, filled, chunk.length - filled, chunkAt + filled);
            if (n === 0) eof = true;
            filled += n;
            medAt = -1;
            continue;
          }
          if (start >= filled) break;
          if (end < 0) end = filled; // the last line, without a newline
          const tab = chunk.indexOf(TAB, start);
          const owner = chunk.toString('utf8', start, tab);
          if (chunk[tab + 1] === P) hasPatient.add(owner);
          if (medAt !== -2 && medAt < start) {
            medAt = chunk.indexOf(MEDICATION_REF, start);
            if (medAt < 0 || medAt >= filled) medAt = -2;
          }
          let entry = byPatient.get(owner);
          if (!entry) byPatient.set(owner, (entry = { ranges: [], medications: new Set() }));
          entry.ranges.push(chunkAt + tab + 2, chunkAt + end);
          if (medAt >= 0 && medAt < end)
            for (const m of chunk.toString('utf8', tab + 2, end).matchAll(MEDICATION_REFERENCE))
              entry.medications.add(m[1]!);
          start = end + 1;
        }
      } finally {
        closeSync(fd);
      }
      for (const id of [...byPatient.keys()].sort()) {
        // Resources of a patient missing from the export cannot make a record: skipped.
        if (!hasPatient.has(id)) continue;
        const { ranges, medications: referenced } = byPatient.get(id)!;
        const found: string[] = [];
        for (const medId of referenced) {
          const med = medications.get(medId);
          if (med) found.push(med);
        }
        yield { kind: 'spill', patientId: id, path, ranges, medications: found };
      }
    }
  }

  return { stats, units, spillUnits };
}

/**
 * A spill unit's NDJSON, read from its spill file: the same bytes `units()` hands on for the
 * patient. Lines close together in the file are read in one call.
 */
export function readSpillUnit(unit: SpillUnit): Extract<PatientUnit, { kind: 'ndjson' }> {
  const { ranges } = unit;
  const meds = unit.medications.map((m) => Buffer.from(`${m}\n`));
  let size = meds.reduce((n, m) => n + m.length, 0);
  for (let k = 0; k < ranges.length; k += 2) size += ranges[k + 1]! - ranges[k]! + 1;
  const ndjson = Buffer.allocUnsafeSlow(size);
  let at = 0;
  const fd = openSync(unit.path, 'r');
  try {
    let span: Buffer | undefined;
    for (let k = 0; k < ranges.length;) {
      // A run of lines whose gaps (other patients' lines, the prefixes) are small: one read.
      let last = k;
      while (last + 2 < ranges.length && ranges[last + 2]! - ranges[last + 1]! <= SPILL_READ_GAP) last += 2;
      const from = ranges[k]!;
      const to = ranges[last + 1]!;
      if (!span || span.length < to - from) span = Buffer.allocUnsafe(Math.max(to - from, 64 * 1024));
      readFully(fd, span, to - from, from);
      for (; k <= last; k += 2) {
        at += span.copy(ndjson, at, ranges[k]! - from, ranges[k + 1]! - from);
        ndjson[at++] = NEWLINE;
      }
    }
  } finally {
    closeSync(fd);
  }
  for (const med of meds) at += med.copy(ndjson, at);
  return { kind: 'ndjson', patientId: unit.patientId, ndjson };
}

function readFully(fd: number, into: Buffer, length: number, position: number): void {
  for (let got = 0; got < length;) {
    const n = readSync(fd, into, got, length - got, position + got);
    if (n === 0) throw new Error('a spill file ended early');
    got += n;
  }
}

/** A folder of FHIR bundles, one patient per `*.json` file, in file-name order. */
export function bundleUnits(dir: string): Array<Extract<PatientUnit, { kind: 'bundle-file' }>> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ kind: 'bundle-file', patientId: f.replace(/\.json$/, ''), path: join(dir, f) }));
}
