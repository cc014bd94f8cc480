#!/usr/bin/env Rscript
# Reference values for senatenet.mrqap from R's sna (netlm / netlogit).
#
# Usage (from the project root):
#   Rscript tests/reference/mrqap_reference.R ../shared/reference-networks \
#       > tests/reference/mrqap_reference.json
#
# Networks are built as in ../shared/reference-networks/README.md: every row of
# nodes.csv is a vertex in file order; binary ties (duplicates collapse, no
# self-loops); --undirected cases use union symmetrisation and mode = "graph".
# A "same_<col>" predictor is 1 where two different people share the value of
# nodes.csv column <col>.  p-values depend on R's random stream and are only
# comparable within Monte Carlo error; coefficients and t/z values are exact.

suppressPackageStartupMessages({ library(sna); library(jsonlite) })
root <- commandArgs(trailingOnly = TRUE)[1]
REPS <- 2000

load_net <- function(dataset, relation, wave = NULL, undirected = FALSE) {
  nodes <- read.csv(file.path(root, dataset, "nodes.csv"), colClasses = "character")
  ties <- read.csv(file.path(root, dataset, "ties.csv"), colClasses = "character")
  t <- ties[ties$relation == relation, , drop = FALSE]
  if (!is.null(wave)) t <- t[t$wave == wave, , drop = FALSE]
  n <- nrow(nodes)
  A <- matrix(0, n, n)
  A[cbind(match(t$source, nodes$id), match(t$target, nodes$id))] <- 1
  diag(A) <- 0
  if (undirected) A <- pmax(A, t(A))
  A
}
same <- function(dataset, col) {
  nodes <- read.csv(file.path(root, dataset, "nodes.csv"), colClasses = "character")
  v <- nodes[[col]]
  M <- outer(v, v, "==") * 1
  diag(M) <- 0
  M
}

cases <- list(
  list(name = "krackhardt_advice", dataset = "krackhardt_hightech",
       y = list("advice"), x = list(friendship = list("friendship"), reports_to = list("reports_to")),
       same = c("department"), undirected = FALSE),
  list(name = "sampson_liking_w3", dataset = "sampson",
       y = list("liking", "3"), x = list(liking_w2 = list("liking", "2")),
       same = c("group"), undirected = FALSE),
  list(name = "lazega_cowork_undirected", dataset = "lazega",
       y = list("cowork"), x = list(friendship = list("friendship")),
       same = c("office_code", "practice"), undirected = TRUE)
)

out <- list(versions = list(R = R.version.string, sna = as.character(packageVersion("sna"))),
            reps = REPS, seed = 42, cases = list())
for (cs in cases) {
  y <- load_net(cs$dataset, cs$y[[1]], if (length(cs$y) > 1) cs$y[[2]] else NULL, cs$undirected)
  xs <- list()
  for (nm in names(cs$x)) {
    a <- cs$x[[nm]]
    xs[[nm]] <- load_net(cs$dataset, a[[1]], if (length(a) > 1) a[[2]] else NULL, cs$undirected)
  }
  for (col in cs$same) xs[[paste0("same_", col)]] <- same(cs$dataset, col)
  mode <- if (cs$undirected) "graph" else "digraph"
  res <- list(spec = cs, mode = mode, terms = c("intercept", names(xs)))
  for (fun in c("netlm", "netlogit")) for (nh in c("qapspp", "qapy")) {
    set.seed(42)
    f <- get(fun)(y, xs, mode = mode, nullhyp = nh, reps = REPS)
    res[[paste(fun, nh, sep = "_")]] <- list(
      coef = unname(f$coefficients), statistic = unname(f$tstat),
      pgreq = unname(f$pgreq), pleeq = unname(f$pleeq), pgreqabs = unname(f$pgreqabs))
  }
  out$cases[[cs$name]] <- res
}
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
cat("\n")
