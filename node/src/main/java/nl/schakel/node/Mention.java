package nl.schakel.node;

import java.time.LocalDate;

/**
 * That a party's records mention a subject or area in a category on a day. All a node keeps, plus
 * the record's key for cell-key perturbation (32 bits of a keyed hash of the record's identity:
 * four bytes per mention, see {@link CellKeys}).
 */
record Mention(String category, LocalDate date, int key) {}
