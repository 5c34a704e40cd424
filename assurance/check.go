package assurance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// MaxLineBytes is the longest input line Check reads (without its line ending); a longer
// line gets an error line.
const MaxLineBytes = 1 << 20

// Check is the `check` command of POLICY.md section 3.2. It reads JSON objects of facts, one
// per line, and writes exactly one JSON line per input line, in order: the result (see
// Result.JSON) or {"error": "...", "field": "..."} naming the invalid field ("" for the
// line as a whole). Facts without "today" are evaluated on today, which the caller sets to
// the current UTC date.
//
// Lines end with "\n" (a "\r" before it is dropped); a final line without "\n" counts, and
// the "\n" ending the input does not start another line. A blank (or whitespace-only) line
// is an input line too, so it gets the error line {"error": "empty line: ...", "field": ""}
// rather than being skipped; a line longer than MaxLineBytes gets an error line as well.
//
// allValid is false when any line got an error line. err is set only when reading in or
// writing out fails; lines answered before the failure have been written.
func (p *Policy) Check(in io.Reader, out io.Writer, today Date) (allValid bool, err error) {
	br := bufio.NewReaderSize(in, 64<<10)
	bw := bufio.NewWriterSize(out, 64<<10)
	allValid = true
	var line []byte
	for {
		line = line[:0]
		tooLong := false
		var rerr error
		for {
			var chunk []byte
			chunk, rerr = br.ReadSlice('\n')
			if !tooLong {
				if len(line)+len(chunk) > MaxLineBytes+2 { // room for "\r\n"
					tooLong, line = true, line[:0]
				} else {
					line = append(line, chunk...)
				}
			}
			if rerr != bufio.ErrBufferFull {
				break
			}
		}
		if rerr != nil && rerr != io.EOF {
			if ferr := bw.Flush(); ferr != nil {
				return false, fmt.Errorf("check: write: %w", ferr)
			}
			return false, fmt.Errorf("check: read: %w", rerr)
		}
		if rerr == io.EOF && len(line) == 0 && !tooLong {
			break // the input ended with "\n", or was empty
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > MaxLineBytes {
			tooLong = true
		}
		resp, ok := p.checkLine(line, tooLong, today)
		allValid = allValid && ok
		bw.Write(resp) // a write error is sticky in bufio.Writer: WriteByte reports it
		if err := bw.WriteByte('\n'); err != nil {
			return false, fmt.Errorf("check: write: %w", err)
		}
		if rerr == io.EOF {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return false, fmt.Errorf("check: write: %w", err)
	}
	return allValid, nil
}

// checkLine answers one input line; ok is false for an error line.
func (p *Policy) checkLine(line []byte, tooLong bool, today Date) (out []byte, ok bool) {
	var fe *FieldError
	switch {
	case tooLong:
		fe = &FieldError{Message: fmt.Sprintf("line longer than %d bytes", MaxLineBytes)}
	case len(bytes.TrimSpace(line)) == 0:
		fe = &FieldError{Message: "empty line: expected a JSON object of facts"}
	default:
		var f Facts
		f, fe = p.ParseFacts(line)
		if fe == nil {
			b, err := p.evaluate(f.WithToday(today)).JSON()
			if err == nil {
				return b, true
			}
			fe = &FieldError{Message: "internal error: " + err.Error()}
		}
	}
	b, err := json.Marshal(errorWire{Error: fe.Message, Field: fe.Field})
	if err != nil { // cannot happen for two strings
		b = []byte(`{"error":"internal error","field":""}`)
	}
	return b, false
}
