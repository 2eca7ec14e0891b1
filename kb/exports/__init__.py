"""Exports of the case for other tools (formats documented in docs/exports.md).

- `gexf.write_gexf`: the actor network as dynamic GEXF 1.3, for Gephi's timeline (mixed, or
  all-directed for networkx); `gephi_edges` groups ties the way Gephi keys edges;
- `graphml.write_graphml`: the same network as GraphML, a directed multigraph (R igraph,
  statnet via igraph, networkx, Cytoscape);
- `tables.write_csv`: the whole case in the import format, so that exporting and importing
  into an empty database gives back the same graph;
- `browser.browser_style` and `browser.browser_link`: kb's Neo4j Browser stylesheet and the
  Browser URL of a server with its connect settings.

Library only: these return plain data or write files; kb/cli/ prints.
"""
