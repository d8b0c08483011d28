package ie.skynet.accounts.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the audit log stores of text someone else chose. */
class AuditLogTest {
  @Test
  void lineBreaksAndControlAndFormattingCharactersAreWrittenOut() {
    assertThat(AuditLog.neutral("aoife\r\n2026-11-30 admin login ok"))
        .isEqualTo("aoife\\r\\n2026-11-30 admin login ok");
    // NUL, ESC (a terminal's colours), and U+202E (right-to-left override, which hides text).
    assertThat(AuditLog.neutral("a\u0000b\u001b[31mc\u202ed"))
        .isEqualTo("a\\u0000b\\u001b[31mc\\u202ed");
    assertThat(AuditLog.neutral("Seán Ó Briain, 🙂")).isEqualTo("Seán Ó Briain, 🙂");
  }
}
