package nl.schakel.bench.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class PopulationTest {
  private final Population population = new Population(42);

  @Test
  void distinctPersonsHaveDistinctValidBsnsOutsideTheReservedRange() {
    var seen = new HashSet<String>();
    for (int u = 0; u < Population.PERSON_SPACE; u += 61) {
      String bsn = population.identifier(SubjectType.PERSON, u);
      assertThat(Rows.passesElfproef(bsn)).as("elfproef").isTrue();
      assertThat(bsn).startsWith("9").doesNotStartWith("99999");
      assertThat(seen.add(bsn)).as("unique").isTrue();
    }
    assertThat(Rows.passesElfproef(population.identifier(SubjectType.PERSON, Population.PERSON_SPACE - 1))).isTrue();
  }

  @Test
  void distinctAddressesHaveDistinctIdentifiersEvenIgnoringLettersAndAdditions() {
    var seen = new HashSet<String>();
    for (int u = 0; u < Population.ADDRESS_SPACE; u += 67) {
      String address = population.identifier(SubjectType.ADDRESS, u);
      // (postcode, number) alone is unique, so no two population addresses differ only in a
      // letter or addition that a node might normalise away.
      String key = address.length() == 16 ? address : address.replaceAll("^(\\S+ [0-9]+).*$", "$1");
      assertThat(seen.add(key)).as("unique").isTrue();
      assertThat(key).isNotEqualTo("3511AB 12").doesNotStartWith("3511AB");
      if (address.length() == 16) {
        assertThat(Long.parseLong(address.substring(6))).isGreaterThanOrEqualTo(200_000);
      }
    }
  }

  @Test
  void distinctOrganisationsHaveDistinctKvkNumbersAwayFromTheAnchors() {
    var seen = new HashSet<String>();
    for (int u = 0; u < Population.ORGANISATION_SPACE; u += 71) {
      String kvk = population.identifier(SubjectType.ORGANISATION, u);
      assertThat(kvk).matches(Rows.KVK).startsWith("3");
      assertThat(seen.add(kvk)).isTrue();
    }
  }

  @Test
  void aPostcodeLiesInOneBuurt() {
    var buurtOfPostcode = new java.util.HashMap<String, Integer>();
    for (int u = 0; u < 400_000; u += 3) {
      String address = population.identifier(SubjectType.ADDRESS, u);
      int buurt = population.buurt(SubjectType.ADDRESS, u);
      if (address.length() != 16 && buurt != Population.NO_BUURT) {
        Integer earlier = buurtOfPostcode.putIfAbsent(address.substring(0, 6), buurt);
        assertThat(earlier == null || earlier == buurt).as("one buurt per postcode").isTrue();
      }
    }
    assertThat(buurtOfPostcode).hasSizeGreaterThan(1000);
  }

  @Test
  void anchorIdentifiersAreWellFormed() {
    assertThat(java.util.List.of(ScenarioAnchors.BSN_KNOWN_AT_FIVE, ScenarioAnchors.BSN_KNOWN_NOWHERE,
            ScenarioAnchors.BSN_ONLY_RECLASSERING))
        .allSatisfy(bsn -> assertThat(Rows.passesElfproef(bsn)).isTrue());
    assertThat(ScenarioAnchors.AREA_OVERLAST_BSNS).hasSize(ScenarioAnchors.AREA_OVERLAST).doesNotHaveDuplicates()
        .allSatisfy(bsn -> assertThat(Rows.passesElfproef(bsn)).isTrue());
    assertThat(ScenarioAnchors.BAG_13B_ADDRESS).matches(Rows.UTRECHT_NUMMERAANDUIDING);
    assertThat(ScenarioAnchors.AREA_SIGNAL_ADDRESS).matches(Rows.UTRECHT_NUMMERAANDUIDING);
    assertThat(ScenarioAnchors.POSTAL_LEASE_ONLY).matches(Rows.POSTAL);
    assertThat(ScenarioAnchors.AREA).matches(Rows.BUURT);
    assertThat(Buurten.CODES).contains(ScenarioAnchors.AREA).hasSize(40).doesNotHaveDuplicates()
        .allSatisfy(code -> assertThat(code).matches(Rows.BUURT).startsWith("BU0344"));
  }
}
