package nl.schakel.bench.synthetic;

/** What a record is about; {@link #csvName()} is the value of the CSV's {@code subject_type}. */
public enum SubjectType {
  PERSON("person"),
  ADDRESS("address"),
  ORGANISATION("organisation");

  private final String csvName;

  SubjectType(String csvName) {
    this.csvName = csvName;
  }

  /** The spelling in the node's CSV source: {@code person}, {@code address}, {@code organisation}. */
  public String csvName() {
    return csvName;
  }
}
