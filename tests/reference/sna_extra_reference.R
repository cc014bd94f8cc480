#!/usr/bin/env Rscript
# sna values that ../shared/reference-networks/expected does not hold:
# - sna::brokerage exp.nli, sd.nli, z.nli (per node) and exp.gli, sd.gli, z.gli
#   (whole network), for senatenet.brokerage_expected;
# - sna::evcent scores and centralization(A, evcent, mode=gmode), for
#   senatenet.centralization(G, "eigenvector").
#
# Usage (from the project root):
#   Rscript tests/reference/sna_extra_reference.R ../shared/reference-networks \
#       > tests/reference/sna_extra_reference.json
#
# Reference networks are built from each expected/<dataset>/<case>/summary.json
# spec as in ../shared/reference-networks/README.md: every row of nodes.csv is a
# vertex in file order; ties filtered by relation / wave / min_weight; binary
# (duplicates collapse, no self-loops); union symmetrisation when undirected.
# Extra small networks are given inline (edge lists, 1-based, with groups).
# Non-finite numbers are written as the strings "NaN", "Inf", "-Inf".

suppressPackageStartupMessages({ library(sna); library(jsonlite) })
root <- commandArgs(trailingOnly = TRUE)[1]

moments <- function(A, cl, gmode) {
  b <- brokerage(A, cl)
  list(
    evcent = evcent(A, gmode = gmode),
    evcent_centralization = centralization(A, evcent, mode = gmode),
    exp_nli = unname(b$exp.nli), sd_nli = unname(b$sd.nli), z_nli = unname(b$z.nli),
    exp_gli = unname(b$exp.gli), sd_gli = unname(b$sd.gli), z_gli = unname(b$z.gli),
    raw_nli = unname(b$raw.nli)
  )
}

cases <- list()
for (summary in Sys.glob(file.path(root, "expected", "*", "*", "summary.json"))) {
  s <- fromJSON(summary)
  spec <- s$spec
  dataset <- basename(dirname(dirname(summary)))
  name <- paste(dataset, basename(dirname(summary)), sep = "/")
  nodes <- read.csv(file.path(root, dataset, spec$nodes), colClasses = "character")
  ties <- read.csv(file.path(root, dataset, spec$ties), colClasses = "character")
  if (!is.null(spec$relation)) ties <- ties[ties$relation == spec$relation, , drop = FALSE]
  if (!is.null(spec$wave)) ties <- ties[ties$wave == spec$wave, , drop = FALSE]
  if (!is.null(spec$min_weight))
    ties <- ties[as.numeric(ties$weight) >= as.numeric(spec$min_weight), , drop = FALSE]
  n <- nrow(nodes)
  A <- matrix(0, n, n)
  A[cbind(match(ties$source, nodes$id), match(ties$target, nodes$id))] <- 1
  diag(A) <- 0
  if (!isTRUE(spec$directed)) A <- pmax(A, t(A))
  cases[[name]] <- c(list(kind = "reference", dataset = dataset,
                          case = basename(dirname(summary))),
                     moments(A, nodes[[spec$group_col]],
                             if (isTRUE(spec$directed)) "digraph" else "graph"))
}

inline <- list(
  # methods.md section 2.1 fixture (8 nodes, groups A A A B B C C C)
  fixture8 = list(
    n = 8, groups = c("A", "A", "A", "B", "B", "C", "C", "C"),
    edges = rbind(c(1, 2), c(2, 3), c(3, 4), c(4, 5), c(5, 6), c(6, 7), c(7, 8),
                  c(2, 5), c(5, 8), c(8, 1), c(3, 1), c(6, 4), c(1, 4)),
    undirected = FALSE),
  fixture8_undirected = list(
    n = 8, groups = c("A", "A", "A", "B", "B", "C", "C", "C"),
    edges = rbind(c(1, 2), c(2, 3), c(3, 4), c(4, 5), c(5, 6), c(6, 7), c(7, 8),
                  c(2, 5), c(5, 8), c(8, 1), c(3, 1), c(6, 4), c(1, 4)),
    undirected = TRUE),
  # singleton group "007" and a two-member group; group labels kept as text
  singleton = list(
    n = 6, groups = c("007", "NA", "NA", "x", "x", "x"),
    edges = rbind(c(1, 2), c(2, 4), c(4, 1), c(3, 5), c(5, 6), c(6, 2), c(1, 6)),
    undirected = FALSE),
  # one group only
  one_group = list(
    n = 5, groups = rep("g", 5),
    edges = rbind(c(1, 2), c(2, 3), c(3, 4), c(4, 5), c(5, 1), c(2, 4)),
    undirected = FALSE)
)
for (name in names(inline)) {
  x <- inline[[name]]
  A <- matrix(0, x$n, x$n)
  A[x$edges] <- 1
  if (x$undirected) A <- pmax(A, t(A))
  cases[[name]] <- c(list(kind = "inline", groups = x$groups, edges = x$edges - 1,
                          undirected = x$undirected),
                     moments(A, x$groups, if (x$undirected) "graph" else "digraph"))
}

out <- list(
  versions = list(R = R.version.string, sna = as.character(packageVersion("sna"))),
  cases = cases
)
cat(toJSON(out, digits = NA, na = "string", auto_unbox = TRUE, pretty = TRUE))
cat("\n")
