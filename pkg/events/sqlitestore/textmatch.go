package sqlitestore

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// textMatcher answers the free text for events not yet in the index (the tail, see tail.go) as FTS5 answers it
// for the indexed ones: the unicode61 tokenizer's words (letters, numbers and private-use characters; case folded,
// diacritics removed: fts5_tokenize.c), the query's words in this order, the last one a prefix. TestTextMatcher
// compares it with FTS5 on the same texts.
type textMatcher struct {
	words []string
	ascii bool // every word is ASCII: an ASCII output holds each whole word as a substring of its lower case
}

func newTextMatcher(text string) textMatcher {
	m := textMatcher{words: ftsWords(strings.ReplaceAll(text, "\x00", " ")), ascii: true}
	for _, w := range m.words {
		m.ascii = m.ascii && isASCII(w)
	}
	return m
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (m textMatcher) match(output string) bool {
	if len(m.words) == 0 {
		return false
	}
	if m.ascii && isASCII(output) {
		return m.matchASCII(output) // without a string per word: the tail of a busy store is thousands of outputs
	}
	toks := ftsWords(output)
	n := len(m.words)
	for i := 0; i+n <= len(toks); i++ {
		ok := true
		for j := 0; j < n-1 && ok; j++ {
			ok = toks[i+j] == m.words[j]
		}
		if ok && strings.HasPrefix(toks[i+n-1], m.words[n-1]) {
			return true
		}
	}
	return false
}

// ftsWords splits text as unicode61 does with its defaults (remove_diacritics 1).
func ftsWords(text string) []string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range text {
		switch {
		case r < 0x80:
			switch {
			case r >= 'A' && r <= 'Z':
				w.WriteRune(r + 'a' - 'A')
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				w.WriteRune(r)
			default:
				flush()
			}
		case unicode.Is(unicode.Mn, r):
			// a combining mark is part of the word and removed with the diacritics
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r):
			w.WriteRune(unicode.ToLower(foldDiacritic(r)))
		default:
			flush()
		}
	}
	flush()
	return words
}

// foldDiacritic is r without its diacritic when r is a letter with one mark (é to e), as remove_diacritics 1 does.
func foldDiacritic(r rune) rune {
	d := norm.NFD.String(string(r))
	base := []rune(d)
	if len(base) == 2 && unicode.Is(unicode.Mn, base[1]) && base[0] < 0x250 {
		return base[0]
	}
	return r
}

// matchASCII is match for an ASCII output: its words are the runs of letters and digits, compared in place.
func (m textMatcher) matchASCII(s string) bool {
	for i := 0; i < len(s); {
		for i < len(s) && !isWordByte(s[i]) {
			i++
		}
		if i == len(s) {
			return false
		}
		if m.wordsAt(s, i) {
			return true
		}
		for i < len(s) && isWordByte(s[i]) {
			i++
		}
	}
	return false
}

// wordsAt says whether the query's words are the words of s from the one starting at i, the last as a prefix.
func (m textMatcher) wordsAt(s string, i int) bool {
	for j, w := range m.words {
		for i < len(s) && !isWordByte(s[i]) {
			i++
		}
		start := i
		for i < len(s) && isWordByte(s[i]) {
			i++
		}
		tok := s[start:i]
		if j == len(m.words)-1 {
			return len(tok) >= len(w) && lowerEquals(tok[:len(w)], w)
		}
		if len(tok) != len(w) || !lowerEquals(tok, w) {
			return false
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lowerEquals compares an ASCII word with a lower-case one, folding the first's case.
func lowerEquals(tok, lower string) bool {
	for k := 0; k < len(tok); k++ {
		c := tok[k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[k] {
			return false
		}
	}
	return true
}

// matchLower is matchASCII for an output already in lower case: the first word is found with strings.Index, and
// only where it begins a word are the others compared.
func (m textMatcher) matchLower(lower string) bool {
	if len(m.words) == 0 {
		return false
	}
	for from := 0; ; {
		p := strings.Index(lower[from:], m.words[0])
		if p < 0 {
			return false
		}
		p += from
		if (p == 0 || !isWordByte(lower[p-1])) && m.wordsAt(lower, p) {
			return true
		}
		from = p + 1
	}
}
