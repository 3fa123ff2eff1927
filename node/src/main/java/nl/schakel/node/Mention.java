package nl.schakel.node;

import java.time.LocalDate;

/** That a party's records mention a subject or area in a category on a day. All a node keeps. */
record Mention(String category, LocalDate date) {}
