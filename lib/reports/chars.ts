// XML 1.0 allows only TAB, LF, CR and U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF; anything else
// (NUL, ESC from coloured logs, lone surrogates) makes a whole XML file unreadable and shows up as
// garbage in HTML. Reasons come from error messages and pod logs, so they do contain such characters.
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drops the characters XML 1.0 cannot carry; everything else (incl. emoji) is kept. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}
