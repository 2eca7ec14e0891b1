# Appended to docs/exports.md's r-statnet recipe by tests/handoff/test_export_recipes.py:
# writes what sna computed on the recipe's network object.
names <- network::network.vertex.names(net)
between <- sna::betweenness(net)
names(between) <- names
roles <- sna::brokerage(net, sector)$raw.nli
jsonlite::write_json(
  list(
    vertices = network::network.size(net),
    arcs = network::network.edgecount(net),
    betweenness = as.list(between),
    brokerage = lapply(setNames(seq_along(names), names), function(i) as.list(roles[i, ]))
  ),
  "result.json", auto_unbox = TRUE, digits = NA
)
