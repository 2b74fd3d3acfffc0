# Reference numbers from R glmnet on SPARSE input (issue 19): glmnet given a Matrix::sparseMatrix
# (dgCMatrix), which it fits with its sparse routines (the C++ behind spelnet_exp and
# splognet_exp), not the dense ones.
#
# Run from the top of the source tree:
#     Rscript tests/data/make_sparse_refs.R
# Made with R 4.2.2 (Debian r-base), glmnet 4.1.6, Matrix 1.5.3, jsonlite 1.8.4 (Debian
# r-cran-glmnet, r-cran-matrix, r-cran-jsonlite). Takes about 30 seconds of CPU (50 to 80 seconds
# on the shared machine); running it twice gives the same bytes (checked with cmp).
#
# Reads nothing. Generates two data sets (set.seed inside this script) and writes:
#     tests/data/sparse_gaussian.svm   300 rows x 120 columns, 2006 nonzeros (5.6%), family gaussian
#     tests/data/sparse_binomial.svm   300 rows x 120 columns, 2025 nonzeros (5.6%), labels 0/1
#     tests/data/sparse_glmnet.json    glmnet's paths and cv.glmnet's curves on both, for
#                                      l1_ratio (glmnet's alpha) 1 and 0.5
#
# The .svm files are svmlight: one line per row, `label idx:val idx:val ...`, indices 1-based and
# increasing, only the nonzeros; labels and values are written with sprintf("%.17g"), so that any
# correctly rounded reader (C's strtod) gets back exactly the doubles glmnet was given. The script
# reads each file back with its own parser and stops unless it gives back the same doubles (R's
# parser is not always correctly rounded: that check would show it), and fits on what it read.
#
# X: 117 columns of exponential values (rate 1) where a Bernoulli(0.05) mask is 1, and 3 0/1
# columns (7, 58, 111) with about 30% ones, so that those column means are not small. Every column
# has at least 5 nonzeros (columns with fewer are redrawn), so every column has two distinct values
# on the full data and on every fold's training rows (checked), and column 120 has nonzeros, so p
# is read from the file. True coefficients: 10 nonzero, +-1.5 to 3 (including two 0/1 columns).
# gaussian: y = 1 + X b + N(0, 1) noise. binomial: y ~ Bernoulli(plogis(-0.3 + 0.8 X b)), a
# moderate signal: glmnet's path does not saturate (last dev.ratio 0.506) and the CV minimum is at
# lambda 12, not the null model (with X b / 2 it was at lambda 1; with X b, unscaled, one fold's
# lasso fit did not converge within maxit 1e7 near separation).
#
# Every fit uses thresh 1e-14 and maxit 1e7; each cv.glmnet call uses the full-data fit's lambdas
# (lambda = fit$lambda) and the fold ids foldid = {set.seed(1); sample(rep(1:10, length.out = n))},
# type.measure "mse" (gaussian) or "deviance" (binomial), as make_glm_refs.R. The JSON's layout per
# fit is that of the *_glmnet.json files (coef[k] = the p coefficients at lambda k, a0, df,
# dev_ratio, nulldev, cv{cvm, cvsd, lambda_min, lambda_1se, index_min, index_1se (1-based)}).
# Numbers have 15 significant digits (jsonlite digits = NA).
#
# The same calls on the dense matrix (as.matrix(x), glmnet's dense routines) are made too, and the
# largest differences between the two printed; the script stops unless they are below 1e-10 and
# the path lengths, lambda.min and lambda.1se are the same. Sparse and dense glmnet agree to
# rounding: at most 4.1e-14 relative in the coefficients, 1.8e-14 in cvm and cvsd, with the same
# path lengths, lambda.min and lambda.1se, far inside the tests' tolerances.
suppressMessages({library(glmnet); library(Matrix); library(jsonlite)})

THRESH <- 1e-14; MAXIT <- 1e7; NFOLDS <- 10L; SEED <- 1L
N <- 300L; P <- 120L; DENSITY <- 0.05; MIN_NNZ <- 5L; BINARY <- c(7L, 58L, 111L)

make_foldid <- function(n) { set.seed(SEED); sample(rep(seq_len(NFOLDS), length.out=n)) }

# Sparse X as (row, column, value) triplets, column by column.
make_x <- function(n, p) {
  i <- integer(0); j <- integer(0); v <- numeric(0)
  for (col in seq_len(p)) {
    if (col %in% BINARY) {
      repeat { rows <- which(runif(n) < 0.3); if (length(rows) >= MIN_NNZ && length(rows) < n) break }
      vals <- rep(1, length(rows))
    } else {
      repeat { rows <- which(runif(n) < DENSITY); if (length(rows) >= MIN_NNZ) break }
      vals <- rexp(length(rows))
    }
    i <- c(i, rows); j <- c(j, rep(col, length(rows))); v <- c(v, vals)
  }
  sparseMatrix(i=i, j=j, x=v, dims=c(n, p))
}

make_beta <- function(p) {
  b <- numeric(p)
  b[c(3, 7, 15, 28, 41, 58, 66, 80, 95, 117)] <- c(3, 1.5, -2.5, 2, -2, -1.5, 2.5, -3, 1.5, 2)
  b
}

# svmlight: label idx:val ... (1-based increasing indices, nonzeros only, %.17g).
write_svm <- function(x, y, file) {
  xt <- as(t(x), "CsparseMatrix")      # row i's nonzeros are column i of t(x), in index order
  lines <- vapply(seq_len(nrow(x)), function(r) {
    k <- if (xt@p[r + 1] > xt@p[r]) (xt@p[r] + 1):xt@p[r + 1] else integer(0)
    paste(c(sprintf("%.17g", y[r]), sprintf("%d:%.17g", xt@i[k] + 1L, xt@x[k])), collapse=" ")
  }, "")
  writeLines(lines, file)
}

read_svm <- function(file) {
  lines <- readLines(file)
  tok <- strsplit(lines, " ", fixed=TRUE)
  y <- as.numeric(vapply(tok, `[`, "", 1))
  i <- integer(0); j <- integer(0); v <- numeric(0)
  for (r in seq_along(tok)) {
    f <- tok[[r]][-1]
    if (!length(f)) next
    kv <- strsplit(f, ":", fixed=TRUE)
    i <- c(i, rep(r, length(f)))
    j <- c(j, as.integer(vapply(kv, `[`, "", 1)))
    v <- c(v, as.numeric(vapply(kv, `[`, "", 2)))
  }
  list(x=sparseMatrix(i=i, j=j, x=v, dims=c(length(lines), max(j))), y=y)
}

check_columns <- function(x, foldid) {
  xd <- as.matrix(x)
  distinct <- function(rows) apply(xd[rows, , drop=FALSE], 2, function(c) length(unique(c)))
  stopifnot(all(distinct(seq_len(nrow(xd))) >= 2))
  for (k in seq_len(NFOLDS)) stopifnot(all(distinct(which(foldid != k)) >= 2))
}

rel <- function(a, b) max(abs(a - b)) / max(abs(b))
# max over lambdas of max_j |A_jk - B_jk| / max_j |B_jk| (the absolute difference where B is 0),
# as tests/testutil.c's tu_coef_error
coef_err <- function(A, B) max(sapply(seq_len(ncol(B)), function(q) {
  d <- max(abs(A[, q] - B[, q])); s <- max(abs(B[, q])); if (s > 0) d / s else d }))

fit_one <- function(x, y, fam, al, foldid, measure) {
  fit <- glmnet(x, y, family=fam, alpha=al, thresh=THRESH, maxit=MAXIT)
  lam <- fit$lambda
  cv <- cv.glmnet(x, y, family=fam, alpha=al, lambda=lam, foldid=foldid, thresh=THRESH,
                  maxit=MAXIT, type.measure=measure)
  stopifnot(names(cv$name) == measure, length(cv$cvm) == length(lam))
  list(fit=fit, cv=cv)
}

res <- list(glmnet_version=as.character(packageVersion("glmnet")),
            matrix_version=as.character(packageVersion("Matrix")), r_version=R.version.string,
            thresh=THRESH, maxit=MAXIT, nfolds=NFOLDS, sets=list())

sets <- list(list(name="gaussian", family="gaussian", measure="mse", seed=1901L),
             list(name="binomial", family="binomial", measure="deviance", seed=1902L))
for (s in sets) {
  set.seed(s$seed)
  x0 <- make_x(N, P); b <- make_beta(P); eta <- as.numeric(x0 %*% b)
  y0 <- if (s$family == "gaussian") 1 + eta + rnorm(N) else
          as.numeric(runif(N) < plogis(-0.3 + 0.8 * eta))
  file <- sprintf("tests/data/sparse_%s.svm", s$name)
  write_svm(x0, y0, file)
  d <- read_svm(file)
  stopifnot(ncol(d$x) == P, identical(d$y, y0), identical(d$x@i, x0@i), identical(d$x@p, x0@p),
            identical(d$x@x, x0@x))
  x <- d$x; y <- d$y; xd <- as.matrix(x)
  foldid <- make_foldid(N)
  check_columns(x, foldid)
  entry <- list(file=file, family=s$family, measure=s$measure, n=N, p=P, nnz=length(x@x),
                foldid=foldid, fits=list())
  for (al in c(1, 0.5)) {
    sp <- fit_one(x, y, s$family, al, foldid, s$measure)
    de <- fit_one(xd, y, s$family, al, foldid, s$measure)
    fit <- sp$fit; cv <- sp$cv; lam <- fit$lambda
    B <- as.matrix(fit$beta)
    same_len <- length(de$fit$lambda) == length(lam)
    k <- seq_len(min(length(lam), length(de$fit$lambda)))
    cat(sprintf(paste("%s l1_ratio %g: %d lambdas (dense %d), last dev.ratio %.3f; min/1se %d/%d",
                      "(dense %d/%d); sparse vs dense: lambda %.1e, coef %.1e, a0 %.1e, cvm %.1e,",
                      "cvsd %.1e\n"),
                s$name, al, length(lam), length(de$fit$lambda), tail(fit$dev.ratio, 1),
                cv$index[["min", 1]], cv$index[["1se", 1]], de$cv$index[["min", 1]],
                de$cv$index[["1se", 1]], rel(de$fit$lambda[k], lam[k]),
                coef_err(as.matrix(de$fit$beta)[, k, drop=FALSE], B[, k, drop=FALSE]),
                rel(de$fit$a0[k], fit$a0[k]), rel(de$cv$cvm[k], cv$cvm[k]),
                rel(de$cv$cvsd[k], cv$cvsd[k])))
    stopifnot(same_len, cv$index[["min", 1]] == de$cv$index[["min", 1]],
              cv$index[["1se", 1]] == de$cv$index[["1se", 1]],
              coef_err(as.matrix(de$fit$beta), B) < 1e-10, rel(de$cv$cvm, cv$cvm) < 1e-10,
              rel(de$cv$cvsd, cv$cvsd) < 1e-10)
    entry$fits[[length(entry$fits) + 1]] <- list(
      l1_ratio=al, lambda=lam, a0=as.numeric(fit$a0),
      coef=unname(lapply(seq_along(lam), function(q) B[, q])),
      df=as.integer(fit$df), dev_ratio=fit$dev.ratio, nulldev=fit$nulldev,
      cv=list(measure=s$measure, cvm=unname(cv$cvm), cvsd=unname(cv$cvsd),
              lambda_min=cv$lambda.min, lambda_1se=cv$lambda.1se,
              index_min=cv$index[["min", 1]], index_1se=cv$index[["1se", 1]]))
  }
  res$sets[[s$name]] <- entry
}
writeLines(toJSON(res, digits=NA, auto_unbox=TRUE), "tests/data/sparse_glmnet.json")
