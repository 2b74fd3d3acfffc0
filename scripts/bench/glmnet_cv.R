# cv.glmnet on a benchmark set, timed on the computation only (after the data are read).
#
# usage: Rscript glmnet_cv.R data.csv|data.mtx foldid.txt out.txt lambda.txt default|RATIO
#                            gaussian|binomial|poisson [coef.txt [THRESH]]
#
# data.csv: a header, numbers, the target last; X is a dense matrix. data.mtx (a sparse set):
# X in Matrix Market, read with Matrix::readMM and held as a dgCMatrix, so that cv.glmnet runs
# glmnet's sparse routines (never a dense copy); y is read from data.y beside it (scan).
#
# The call is glmnet's default lasso for the family:
#   cv.glmnet(x, y, family = family, foldid = foldid, alpha = 1, type.measure = measure)
# with measure "mse" for gaussian and "deviance" for binomial and poisson, i.e. standardize = TRUE,
# intercept, 100 lambdas down to lambda.min.ratio of lambda_max
# (ifelse(nobs < nvars, 0.01, 1e-04)) with glmnet's early stop, thresh = 1e-7. A RATIO
# instead of "default" is passed as lambda.min.ratio. Its elapsed time (system.time) is the
# figure the benchmark compares with.
#
# out.txt gets "key value" lines; lambda.txt gets the lambda sequence, one per line.
# With coef.txt, the full-data path (cv$glmnet.fit) is written there, outside the timed
# region, one line per lambda: "lambda a0 beta_1 ... beta_p" on the original scale, for
# scripts/bench/lasso_gap.py --coef to compute its duality gap; an empty coef.txt ("") writes
# nothing, so that THRESH can be given without it. THRESH replaces glmnet's thresh
# (scripts/bench.sh --glmnet-thresh; also for checking the gap formula on tight solves).
suppressMessages(library(glmnet))
a <- commandArgs(TRUE)
csv <- a[1]; foldfile <- a[2]; out <- a[3]; lamfile <- a[4]
ratio <- if (a[5] != "default") as.numeric(a[5]) else NULL
family <- a[6]
coeffile <- if (length(a) >= 7 && nzchar(a[7])) a[7] else NULL
measure <- c(gaussian = "mse", binomial = "deviance", poisson = "deviance")[[family]]

if (grepl("[.]mtx$", csv)) {
  suppressMessages(library(Matrix))
  x <- as(readMM(csv), "CsparseMatrix") # readMM gives the triplets (dgTMatrix)
  stopifnot(is(x, "dgCMatrix"))
  y <- scan(sub("[.]mtx$", ".y", csv), what = double(), quiet = TRUE)
  stopifnot(length(y) == nrow(x))
} else {
  header <- strsplit(readLines(csv, n = 1), ",", fixed = TRUE)[[1]]
  v <- scan(csv, what = double(), sep = ",", skip = 1, quiet = TRUE)
  d <- matrix(v, ncol = length(header), byrow = TRUE)
  rm(v)
  x <- d[, -ncol(d), drop = FALSE]
  y <- d[, ncol(d)]
  rm(d)
}
foldid <- as.integer(readLines(foldfile))
stopifnot(length(foldid) == nrow(x))
invisible(gc())

# glmnet's own defaults, given explicitly so that one call serves every option.
if (is.null(ratio)) ratio <- ifelse(nrow(x) < ncol(x), 0.01, 1e-04)
thresh <- if (length(a) >= 8) as.numeric(a[8]) else 1e-07
elapsed <- system.time(cv <- cv.glmnet(x, y, family = family, foldid = foldid, alpha = 1, type.measure = measure,
                                       lambda.min.ratio = ratio, thresh = thresh))[["elapsed"]]

fit <- cv$glmnet.fit
lam <- fit$lambda
res <- c(
  time_s = sprintf("%.4f", elapsed),
  n_alphas = length(lam),
  alpha_max = sprintf("%.10g", lam[1]),
  alpha_min = sprintf("%.10g", cv$lambda.min),
  alpha_1se = sprintf("%.10g", cv$lambda.1se),
  glmnet_version = as.character(packageVersion("glmnet")))
writeLines(paste(names(res), res), out)
writeLines(sprintf("%.17g", lam), lamfile)
if (!is.null(coeffile)) {
  path <- cbind(lam, fit$a0, t(as.matrix(fit$beta)))
  write.table(format(path, digits = 17), coeffile, quote = FALSE, row.names = FALSE, col.names = FALSE)
}
