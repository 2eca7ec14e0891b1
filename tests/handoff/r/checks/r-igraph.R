# Appended to docs/exports.md's r-igraph recipe by tests/handoff/test_export_recipes.py:
# writes what the recipe's objects hold, for the test to compare with kb and Neo4j.
jsonlite::write_json(
  list(
    vertices = vcount(g),
    edges = ecount(g),
    directed = is_directed(g),
    tie_arcs = ecount(ties),
    arcs = ecount(net),
    betweenness = as.list(betweenness(net)),
    degree = as.list(degree(as.undirected(net, mode = "collapse"))),
    components = components(net, mode = "weak")$no,
    arcs_on_day = ecount(g_day),
    strength = as.list(strength(ties, weights = w)),
    weight_attribute = "weight" %in% edge_attr_names(g),
    provenance = graph_attr(g, "kb_provenance")
  ),
  "result.json", auto_unbox = TRUE, digits = NA
)
