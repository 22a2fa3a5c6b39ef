//! XML Schema regular expressions (the `pattern` facet), translated to `regex` syntax once.
//!
//! XSD regexes differ from Rust's: every pattern is implicitly anchored, `^` and `$` are plain
//! characters, `.` excludes `\r` as well as `\n`, `\s` is only XML whitespace, `\i`/`\c` are the
//! XML name classes, `\p{IsBasicLatin}` names a Unicode block and `[a-z-[aeiou]]` subtracts a
//! class. We parse the XSD syntax (Part 2, appendix F) and emit an equivalent Rust pattern, so
//! matching costs one compiled automaton per distinct pattern.

use std::fmt::Write as _;

/// Translates an XSD regex into an anchored pattern for the `regex` crate.
pub(crate) fn translate(xsd: &str) -> Result<String, String> {
    let mut parser = Parser { chars: xsd.chars().collect(), pos: 0, out: String::new() };
    parser.out.push_str(r"\A(?:");
    parser.reg_exp()?;
    if parser.pos < parser.chars.len() {
        return Err(format!(
            "unexpected \"{}\" at position {}",
            parser.chars[parser.pos], parser.pos
        ));
    }
    parser.out.push_str(r")\z");
    Ok(parser.out)
}

/// Compiles a translated XSD regex; size limits are raised because `\p{..}` classes are large.
pub(crate) fn compile(xsd: &str) -> Result<regex::Regex, String> {
    let translated = translate(xsd)?;
    regex::RegexBuilder::new(&translated)
        .size_limit(64 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|e| format!("cannot compile the translated pattern: {e}"))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    out: String,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn reg_exp(&mut self) -> Result<(), String> {
        self.branch()?;
        while self.peek() == Some('|') {
            self.pos += 1;
            self.out.push('|');
            self.branch()?;
        }
        Ok(())
    }

    fn branch(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.piece()?;
        }
        Ok(())
    }

    fn piece(&mut self) -> Result<(), String> {
        self.atom()?;
        match self.peek() {
            Some(q @ ('?' | '*' | '+')) => {
                self.pos += 1;
                self.out.push(q);
            }
            Some('{') => {
                self.pos += 1;
                let quantity = self.quantity()?;
                self.out.push_str(&quantity);
            }
            _ => {}
        }
        Ok(())
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return None;
        }
        self.chars[start..self.pos].iter().collect::<String>().parse().ok()
    }

    /// `{n}`, `{n,}` or `{n,m}`; the opening brace is already consumed.
    fn quantity(&mut self) -> Result<String, String> {
        let min = self.number().ok_or("a quantifier needs a number after \"{\"")?;
        let text = match self.bump() {
            Some('}') => format!("{{{min}}}"),
            Some(',') => {
                if self.peek() == Some('}') {
                    self.pos += 1;
                    format!("{{{min},}}")
                } else {
                    let max = self.number().ok_or("a quantifier range needs a maximum")?;
                    if self.bump() != Some('}') {
                        return Err("a quantifier must end with \"}\"".into());
                    }
                    if max < min {
                        return Err(format!(
                            "quantifier {{{min},{max}}} has its maximum below its minimum"
                        ));
                    }
                    format!("{{{min},{max}}}")
                }
            }
            _ => return Err("a quantifier must end with \"}\"".into()),
        };
        Ok(text)
    }

    fn atom(&mut self) -> Result<(), String> {
        let c = self.bump().ok_or("unexpected end of pattern")?;
        match c {
            '(' => {
                self.out.push_str("(?:");
                self.reg_exp()?;
                if self.bump() != Some(')') {
                    return Err("a group \"(\" is not closed".into());
                }
                self.out.push(')');
            }
            '[' => {
                let class = self.class_expr()?;
                self.out.push_str(&class);
            }
            '.' => self.out.push_str(r"[^\n\r]"),
            '\\' => {
                let esc = self.escape()?;
                match esc {
                    Esc::Char(ch) => push_literal(&mut self.out, ch),
                    Esc::Class(class) => self.out.push_str(&class),
                }
            }
            '?' | '*' | '+' | '{' | '}' | ')' | ']' | '|' => {
                return Err(format!("\"{c}\" must be escaped here"));
            }
            other => push_literal(&mut self.out, other),
        }
        Ok(())
    }

    /// Reads an escape after `\`; classes come back as a bracketed Rust class.
    fn escape(&mut self) -> Result<Esc, String> {
        let c = self.bump().ok_or("a pattern cannot end with \"\\\"")?;
        Ok(match c {
            'n' => Esc::Char('\n'),
            'r' => Esc::Char('\r'),
            't' => Esc::Char('\t'),
            '\\' | '|' | '.' | '?' | '*' | '+' | '(' | ')' | '{' | '}' | '-' | '[' | ']' | '^' => {
                Esc::Char(c)
            }
            's' => Esc::Class(r"[\t\n\r ]".into()),
            'S' => Esc::Class(r"[^\t\n\r ]".into()),
            'd' => Esc::Class(r"[\p{Nd}]".into()),
            'D' => Esc::Class(r"[^\p{Nd}]".into()),
            'w' => Esc::Class(r"[^\p{P}\p{Z}\p{C}]".into()),
            'W' => Esc::Class(r"[\p{P}\p{Z}\p{C}]".into()),
            'i' => Esc::Class(format!("[{}]", ranges_text(NAME_START_RANGES))),
            'I' => Esc::Class(format!("[^{}]", ranges_text(NAME_START_RANGES))),
            'c' => Esc::Class(format!(
                "[{}{}]",
                ranges_text(NAME_START_RANGES),
                ranges_text(NAME_EXTRA_RANGES)
            )),
            'C' => Esc::Class(format!(
                "[^{}{}]",
                ranges_text(NAME_START_RANGES),
                ranges_text(NAME_EXTRA_RANGES)
            )),
            'p' | 'P' => {
                if self.bump() != Some('{') {
                    return Err(format!("\"\\{c}\" must be followed by \"{{\""));
                }
                let start = self.pos;
                while self.peek().is_some_and(|ch| ch != '}') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if self.bump() != Some('}') {
                    return Err(format!("\"\\{c}{{{name}\" is not closed"));
                }
                let inner = property(&name)?;
                Esc::Class(if c == 'p' { format!("[{inner}]") } else { format!("[^{inner}]") })
            }
            other => return Err(format!("\"\\{other}\" is not an XML Schema escape")),
        })
    }

    /// A bracketed class; the `[` is already consumed. Returns a Rust class.
    fn class_expr(&mut self) -> Result<String, String> {
        let negated = if self.peek() == Some('^') {
            self.pos += 1;
            true
        } else {
            false
        };
        let mut items = String::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or("a character class \"[\" is not closed")?;
            match c {
                ']' if !first => {
                    self.pos += 1;
                    let base = if negated { format!("[^{items}]") } else { format!("[{items}]") };
                    return Ok(base);
                }
                '-' if !first && self.peek_at(1) == Some('[') => {
                    // Subtraction: what is left of this class minus the nested one.
                    self.pos += 2;
                    let sub = self.class_expr()?;
                    if self.bump() != Some(']') {
                        return Err("a class subtraction must be the last part of its class".into());
                    }
                    let base = if negated { format!("[^{items}]") } else { format!("[{items}]") };
                    return Ok(format!("[{base}--{sub}]"));
                }
                '[' => return Err("\"[\" must be escaped inside a character class".into()),
                _ => {}
            }
            first = false;
            let lo = self.class_char()?;
            match lo {
                Esc::Class(class) => items.push_str(&class),
                Esc::Char(lo) => {
                    let is_range = self.peek() == Some('-')
                        && self.peek_at(1).is_some_and(|n| n != ']' && n != '[');
                    if is_range {
                        self.pos += 1;
                        match self.class_char()? {
                            Esc::Char(hi) => {
                                if hi < lo {
                                    return Err(format!("range \"{lo}-{hi}\" is out of order"));
                                }
                                push_class_char(&mut items, lo);
                                items.push('-');
                                push_class_char(&mut items, hi);
                            }
                            Esc::Class(_) => {
                                return Err("a range cannot end with a class escape".into());
                            }
                        }
                    } else {
                        push_class_char(&mut items, lo);
                    }
                }
            }
        }
    }

    fn class_char(&mut self) -> Result<Esc, String> {
        let c = self.bump().ok_or("a character class \"[\" is not closed")?;
        if c == '\\' { self.escape() } else { Ok(Esc::Char(c)) }
    }
}

enum Esc {
    Char(char),
    Class(String),
}

/// Writes a character so that `regex` reads it literally outside a class.
fn push_literal(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        '\t' => out.push_str(r"\t"),
        c if c.is_ascii_alphanumeric() || !c.is_ascii() || c == ' ' => out.push(c),
        c => {
            let _ = write!(out, r"\x{{{:X}}}", c as u32);
        }
    }
}

/// Writes a character so that `regex` reads it literally inside a class.
fn push_class_char(out: &mut String, c: char) {
    push_literal(out, c);
}

fn ranges_text(ranges: &[(u32, u32)]) -> String {
    let mut out = String::new();
    for &(lo, hi) in ranges {
        if lo == hi {
            let _ = write!(out, r"\x{{{lo:X}}}");
        } else {
            let _ = write!(out, r"\x{{{lo:X}}}-\x{{{hi:X}}}");
        }
    }
    out
}

/// The inside of a class for `\p{name}`: a general category or an `Is` block.
fn property(name: &str) -> Result<String, String> {
    const CATEGORIES: &[&str] = &[
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
        "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So",
        "C", "Cc", "Cf", "Co", "Cn",
    ];
    if CATEGORIES.contains(&name) {
        return Ok(format!(r"\p{{{name}}}"));
    }
    if name == "Cs" {
        // Surrogates never occur in decoded text; an always-false class keeps the meaning.
        return Ok(r"\x{0}--\x{0}".into());
    }
    if let Some(block) = name.strip_prefix("Is") {
        let ranges: Vec<(u32, u32)> = BLOCKS
            .iter()
            .filter(|(n, _, _)| *n == block)
            .map(|&(_, lo, hi)| (lo, hi))
            .filter(|&(lo, _)| !(0xD800..=0xDFFF).contains(&lo))
            .collect();
        if BLOCKS.iter().any(|(n, _, _)| *n == block) {
            if ranges.is_empty() {
                return Ok(r"\x{0}--\x{0}".into());
            }
            return Ok(ranges_text(&ranges));
        }
    }
    Err(format!("\"{name}\" is not a Unicode category or block name known to XML Schema"))
}

/// XML 1.0 (fifth edition) NameStartChar.
pub(crate) const NAME_START_RANGES: &[(u32, u32)] = &[
    (0x3A, 0x3A),
    (0x41, 0x5A),
    (0x5F, 0x5F),
    (0x61, 0x7A),
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x2FF),
    (0x370, 0x37D),
    (0x37F, 0x1FFF),
    (0x200C, 0x200D),
    (0x2070, 0x218F),
    (0x2C00, 0x2FEF),
    (0x3001, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFFD),
    (0x10000, 0xEFFFF),
];

/// What NameChar adds to NameStartChar.
pub(crate) const NAME_EXTRA_RANGES: &[(u32, u32)] =
    &[(0x2D, 0x2E), (0x30, 0x39), (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040)];

/// Block names of XML Schema 1.0 (Unicode 3.1 `Blocks.txt`, spaces removed).
const BLOCKS: &[(&str, u32, u32)] = &[
    ("BasicLatin", 0x0000, 0x007F),
    ("Latin-1Supplement", 0x0080, 0x00FF),
    ("LatinExtended-A", 0x0100, 0x017F),
    ("LatinExtended-B", 0x0180, 0x024F),
    ("IPAExtensions", 0x0250, 0x02AF),
    ("SpacingModifierLetters", 0x02B0, 0x02FF),
    ("CombiningDiacriticalMarks", 0x0300, 0x036F),
    ("Greek", 0x0370, 0x03FF),
    ("Cyrillic", 0x0400, 0x04FF),
    ("Armenian", 0x0530, 0x058F),
    ("Hebrew", 0x0590, 0x05FF),
    ("Arabic", 0x0600, 0x06FF),
    ("Syriac", 0x0700, 0x074F),
    ("Thaana", 0x0780, 0x07BF),
    ("Devanagari", 0x0900, 0x097F),
    ("Bengali", 0x0980, 0x09FF),
    ("Gurmukhi", 0x0A00, 0x0A7F),
    ("Gujarati", 0x0A80, 0x0AFF),
    ("Oriya", 0x0B00, 0x0B7F),
    ("Tamil", 0x0B80, 0x0BFF),
    ("Telugu", 0x0C00, 0x0C7F),
    ("Kannada", 0x0C80, 0x0CFF),
    ("Malayalam", 0x0D00, 0x0D7F),
    ("Sinhala", 0x0D80, 0x0DFF),
    ("Thai", 0x0E00, 0x0E7F),
    ("Lao", 0x0E80, 0x0EFF),
    ("Tibetan", 0x0F00, 0x0FFF),
    ("Myanmar", 0x1000, 0x109F),
    ("Georgian", 0x10A0, 0x10FF),
    ("HangulJamo", 0x1100, 0x11FF),
    ("Ethiopic", 0x1200, 0x137F),
    ("Cherokee", 0x13A0, 0x13FF),
    ("UnifiedCanadianAboriginalSyllabics", 0x1400, 0x167F),
    ("Ogham", 0x1680, 0x169F),
    ("Runic", 0x16A0, 0x16FF),
    ("Khmer", 0x1780, 0x17FF),
    ("Mongolian", 0x1800, 0x18AF),
    ("LatinExtendedAdditional", 0x1E00, 0x1EFF),
    ("GreekExtended", 0x1F00, 0x1FFF),
    ("GeneralPunctuation", 0x2000, 0x206F),
    ("SuperscriptsandSubscripts", 0x2070, 0x209F),
    ("CurrencySymbols", 0x20A0, 0x20CF),
    ("CombiningMarksforSymbols", 0x20D0, 0x20FF),
    ("LetterlikeSymbols", 0x2100, 0x214F),
    ("NumberForms", 0x2150, 0x218F),
    ("Arrows", 0x2190, 0x21FF),
    ("MathematicalOperators", 0x2200, 0x22FF),
    ("MiscellaneousTechnical", 0x2300, 0x23FF),
    ("ControlPictures", 0x2400, 0x243F),
    ("OpticalCharacterRecognition", 0x2440, 0x245F),
    ("EnclosedAlphanumerics", 0x2460, 0x24FF),
    ("BoxDrawing", 0x2500, 0x257F),
    ("BlockElements", 0x2580, 0x259F),
    ("GeometricShapes", 0x25A0, 0x25FF),
    ("MiscellaneousSymbols", 0x2600, 0x26FF),
    ("Dingbats", 0x2700, 0x27BF),
    ("BraillePatterns", 0x2800, 0x28FF),
    ("CJKRadicalsSupplement", 0x2E80, 0x2EFF),
    ("KangxiRadicals", 0x2F00, 0x2FDF),
    ("IdeographicDescriptionCharacters", 0x2FF0, 0x2FFF),
    ("CJKSymbolsandPunctuation", 0x3000, 0x303F),
    ("Hiragana", 0x3040, 0x309F),
    ("Katakana", 0x30A0, 0x30FF),
    ("Bopomofo", 0x3100, 0x312F),
    ("HangulCompatibilityJamo", 0x3130, 0x318F),
    ("Kanbun", 0x3190, 0x319F),
    ("BopomofoExtended", 0x31A0, 0x31BF),
    ("EnclosedCJKLettersandMonths", 0x3200, 0x32FF),
    ("CJKCompatibility", 0x3300, 0x33FF),
    ("CJKUnifiedIdeographsExtensionA", 0x3400, 0x4DB5),
    ("CJKUnifiedIdeographs", 0x4E00, 0x9FFF),
    ("YiSyllables", 0xA000, 0xA48F),
    ("YiRadicals", 0xA490, 0xA4CF),
    ("HangulSyllables", 0xAC00, 0xD7A3),
    ("HighSurrogates", 0xD800, 0xDB7F),
    ("HighPrivateUseSurrogates", 0xDB80, 0xDBFF),
    ("LowSurrogates", 0xDC00, 0xDFFF),
    ("PrivateUse", 0xE000, 0xF8FF),
    ("PrivateUse", 0xF0000, 0xFFFFD),
    ("PrivateUse", 0x100000, 0x10FFFD),
    ("CJKCompatibilityIdeographs", 0xF900, 0xFAFF),
    ("AlphabeticPresentationForms", 0xFB00, 0xFB4F),
    ("ArabicPresentationForms-A", 0xFB50, 0xFDFF),
    ("CombiningHalfMarks", 0xFE20, 0xFE2F),
    ("CJKCompatibilityForms", 0xFE30, 0xFE4F),
    ("SmallFormVariants", 0xFE50, 0xFE6F),
    ("ArabicPresentationForms-B", 0xFE70, 0xFEFE),
    ("Specials", 0xFEFF, 0xFEFF),
    ("Specials", 0xFFF0, 0xFFFD),
    ("HalfwidthandFullwidthForms", 0xFF00, 0xFFEF),
    ("OldItalic", 0x10300, 0x1032F),
    ("Gothic", 0x10330, 0x1034F),
    ("Deseret", 0x10400, 0x1044F),
    ("ByzantineMusicalSymbols", 0x1D000, 0x1D0FF),
    ("MusicalSymbols", 0x1D100, 0x1D1FF),
    ("MathematicalAlphanumericSymbols", 0x1D400, 0x1D7FF),
    ("CJKUnifiedIdeographsExtensionB", 0x20000, 0x2A6D6),
    ("CJKCompatibilityIdeographsSupplement", 0x2F800, 0x2FA1F),
    ("Tags", 0xE0000, 0xE007F),
];
