package io.loyalflow.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CSV cells: quoted when they hold separators or quotes, and never a spreadsheet formula. */
class ReportCsvTest {

    @Test
    void cellsAreQuotedWhenNeededAndFormulasAreDefused() {
        assertThat(ReportCsv.cell("Gold")).isEqualTo("Gold");
        assertThat(ReportCsv.cell("Win back, spring")).isEqualTo("\"Win back, spring\"");
        assertThat(ReportCsv.cell("The \"best\" ones")).isEqualTo("\"The \"\"best\"\" ones\"");
        assertThat(ReportCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(ReportCsv.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(ReportCsv.cell("+1 555")).isEqualTo("'+1 555");
        assertThat(ReportCsv.cell("@sum")).isEqualTo("'@sum");
        assertThat(ReportCsv.cell("-12.50")).isEqualTo("-12.50");
        assertThat(ReportCsv.cell(null)).isEmpty();
    }
}
