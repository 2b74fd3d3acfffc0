# cv.glmnet on a benchmark set, timed on the computation only (after the data are read).
#
# usage: Rscript glmnet_cv.R data.csv foldid.txt out.txt lambda.txt default|RATIO [gap]
#
# The call is glmnet's default lasso: cv.glmnet(x, y, foldid = foldid, alpha = 1), i.e.
# standardize = TRUE, intercept, 100 lambdas down to lambda.min.ratio of lambda_max
# (ifelse(nobs < nvars, 0.01, 1e-04)) with glmnet's early stop, thresh = 1e-7, type.measure
# "mse". A RATIO instead of "default" is passed as lambda.min.ratio. Its elapsed time
# (system.time) is the figure the benchmark compares with.
#
# With "gap", the lasso duality gap of the full-data path (cv$glmnet.fit) is computed
# afterwards, outside the timed region, on the standardized problem, exactly as
# scripts/bench/lasso_gap.py and regpath do it (see there for the formula).
#
# out.txt gets "key value" lines; lambda.txt gets the lambda sequence, one per line.
suppressMessages(library(glmnet))
a <- commandArgs(TRUE)
csv <- a[1]; foldfile <- a[2]; out <- a[3]; lamfile <- a[4]
ratio <- if (length(a) >= 5 && a[5] != "default") as.numeric(a[5]) else NULL
want_gap <- length(a) >= 6 && a[6] == "gap"

header <- strsplit(readLines(csv, n = 1), ",", fixed = TRUE)[[1]]
v <- scan(csv, what = double(), sep = ",", skip = 1, quiet = TRUE)
d <- matrix(v, ncol = length(header), byrow = TRUE)
rm(v)
x <- d[, -ncol(d), drop = FALSE]
y <- d[, ncol(d)]
rm(d)
foldid <- as.integer(readLines(foldfile))
stopifnot(length(foldid) == nrow(x))
invisible(gc())

elapsed <- if (is.null(ratio)) {
  system.time(cv <- cv.glmnet(x, y, foldid = foldid, alpha = 1))[["elapsed"]]
} else {
  system.time(cv <- cv.glmnet(x, y, foldid = foldid, alpha = 1, lambda.min.ratio = ratio))[["elapsed"]]
}

fit <- cv$glmnet.fit
lam <- fit$lambda
res <- c(
  time_s = sprintf("%.4f", elapsed),
  n_alphas = length(lam),
  alpha_max = sprintf("%.10g", lam[1]),
  alpha_min = sprintf("%.10g", cv$lambda.min),
  alpha_1se = sprintf("%.10g", cv$lambda.1se),
  glmnet_version = as.character(packageVersion("glmnet")))

if (want_gap) {
  n <- nrow(x)
  xm <- colMeans(x)
  xs <- sweep(x, 2, xm)
  sd <- sqrt(colSums(xs^2) / n)
  sd[sd == 0] <- 1
  xs <- sweep(xs, 2, sd, "/")
  yc <- y - mean(y)
  null <- sum(yc^2) / (2 * n)
  B <- as.matrix(fit$beta) * sd         # standardized coefficients, p x L
  R <- yc - xs %*% B                    # residuals, n x L
  G <- apply(abs(crossprod(xs, R)), 2, max) / n
  gaps <- vapply(seq_along(lam), function(k) {
    r <- R[, k]
    rr <- sum(r^2)
    primal <- rr / (2 * n) + lam[k] * sum(abs(B[, k]))
    s <- if (G[k] <= lam[k]) 1 else lam[k] / G[k]
    dual <- s * sum(r * yc) / n - s^2 * rr / (2 * n)
    primal - dual
  }, numeric(1))
  res <- c(res, worst_gap_rel = sprintf("%.6e", max(gaps) / null),
           null_objective = sprintf("%.12g", null))
}
writeLines(paste(names(res), res), out)
writeLines(sprintf("%.17g", lam), lamfile)
