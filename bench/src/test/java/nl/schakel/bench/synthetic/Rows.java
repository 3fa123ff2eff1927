package nl.schakel.bench.synthetic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads generated files back and checks identifiers with rules written out here, independently
 * of the generator (formulas and patterns from the domain CONTEXT.md).
 */
final class Rows {
  static final String HEADER = "subject_type,identifier,category,date,area";
  static final Pattern BSN = Pattern.compile("^[0-9]{9}$");
  static final Pattern KVK = Pattern.compile("^[0-9]{8}$");
  static final Pattern UTRECHT_NUMMERAANDUIDING = Pattern.compile("^0344" + "20" + "[0-9]{10}$");
  static final Pattern POSTAL =
      Pattern.compile("^([1-9][0-9]{3})([A-Z]{2}) ([0-9]{1,5})([A-Z]?)(?:-([0-9a-zA-Z]{1,4}))?$");
  static final Pattern BUURT = Pattern.compile("^BU[0-9]{4}[0-9A-Z]{4}$");

  record Row(String party, String type, String identifier, String category, LocalDate date, String area) {}

  private Rows() {}

  /** Every data row of every {@code <party>.csv} in {@code dir}, keyed by party. */
  static Map<String, List<Row>> read(Path dir, List<String> parties) throws IOException {
    var rows = new LinkedHashMap<String, List<Row>>();
    for (String party : parties) {
      rows.put(party, read(dir.resolve(party + ".csv"), party));
    }
    return rows;
  }

  static List<Row> read(Path file, String party) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (!text.startsWith(HEADER + "\n")) {
      throw new AssertionError(file + " does not start with the header line");
    }
    if (!text.endsWith("\n") || text.indexOf('\r') >= 0) {
      throw new AssertionError(file + " must use \\n line ends and end with one");
    }
    var rows = new ArrayList<Row>();
    String[] lines = text.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      if (f.length != 5) {
        throw new AssertionError(file + " line " + (i + 1) + " has " + f.length + " fields");
      }
      rows.add(new Row(party, f[0], f[1], f[2], LocalDate.parse(f[3]), f[4]));
    }
    return rows;
  }

  static List<Row> all(Map<String, List<Row>> byParty) {
    return byParty.values().stream().flatMap(List::stream).toList();
  }

  /** The elfproef: 9d1+8d2+...+2d8-1d9 divisible by 11 and not 0. */
  static boolean passesElfproef(String bsn) {
    if (!BSN.matcher(bsn).matches()) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      sum += (9 - i) * (bsn.charAt(i) - '0');
    }
    sum -= bsn.charAt(8) - '0';
    return sum != 0 && sum % 11 == 0;
  }
}
