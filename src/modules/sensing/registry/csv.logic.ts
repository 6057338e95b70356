/**
 * A small RFC 4180 CSV reader (pure) that remembers the physical line each
 * record starts on, so import reports can point at the line a person sees in
 * their editor. Handles a UTF-8 BOM, CRLF or LF, quoted fields with commas,
 * doubled quotes and line breaks inside quotes.
 */

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  fields: string[];
  /** Set when the record is malformed (e.g. a quote never closed); fields are then unreliable. */
  error?: string;
}

/** Split CSV text into records; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  const n = s.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: string | undefined;
    // One record: fields until an unquoted line break or the end.
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (!closed) {
          error = `a quoted field opened on line ${startLine} is never closed`;
        } else if (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          error = `unexpected text after a closing quote on line ${line}; double any quote inside a quoted field ("")`;
          while (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') field += s[i++];
        }
      } else {
        const start = i;
        while (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') i++;
        field = s.slice(start, i);
      }
      fields.push(field);
      if (i < n && s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    let lineBreak = false;
    if (s[i] === '\r') {
      i++;
      lineBreak = true;
    }
    if (s[i] === '\n') {
      i++;
      lineBreak = true;
    }
    if (lineBreak) line++;
    const blank = fields.length === 1 && fields[0]!.trim() === '' && !error;
    if (!blank) out.push(error ? { line: startLine, fields, error } : { line: startLine, fields });
  }
  return out;
}
