package com.plantbridge.sim.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an Ignition tag path such as {@code [default]Line1/Speed} into the folders that make it browsable.
 * Folder ids follow the same convention as tags ({@code [default]}, {@code [default]Line1}) so a client
 * browsing the tree sees NodeIds it could also have guessed from the path.
 */
record TagPath(List<Folder> folders, String name) {

  /** Paths without a {@code [provider]} prefix still need a parent to hang under. */
  private static final String ROOT_WITHOUT_PROVIDER = "Tags";

  record Folder(String id, String name) {}

  static TagPath parse(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("tag path must not be blank");
    }
    List<Folder> folders = new ArrayList<>();
    String prefix;
    String rest;
    int close = path.indexOf(']');
    if (path.startsWith("[") && close > 0) {
      prefix = path.substring(0, close + 1);
      rest = path.substring(close + 1);
      folders.add(new Folder(prefix, path.substring(1, close)));
    } else {
      prefix = "";
      rest = path;
      folders.add(new Folder(ROOT_WITHOUT_PROVIDER, ROOT_WITHOUT_PROVIDER));
    }
    String[] segments = rest.split("/");
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < segments.length - 1; i++) {
      if (i > 0) id.append('/');
      id.append(segments[i]);
      folders.add(new Folder(id.toString(), segments[i]));
    }
    return new TagPath(List.copyOf(folders), segments[segments.length - 1]);
  }
}
