# Real tables as R users have them, and glmnet on the design regpath is to
# build from them (issue 16).
#
#   Rscript tests/data/make_table_refs.R      (from the top of the source tree)
#
# For each data set: tests/data/tables/<name>.csv, written by write.csv with
# its row names (an empty header over them), text and factor columns as
# text, missing values as NA; and tests/data/tables/<name>_glmnet.json, glmnet
# 4.1 (thresh 1e-14) on the encoded design:
#   - every factor or text feature one-hot, every level kept (glmnet's makeX),
#     levels in byte order, the columns named "column=level", in place of the
#     column in the file's order; a logical column as 0/1;
#   - missing values by data.missing: "drop" (complete cases of the target
#     and every feature) or "mean" (rows without a target dropped; a numeric
#     feature's missing cells the mean of its other cells, a factor's one-hot
#     cells its levels' shares among its other cells: makeX(na.impute = TRUE));
#   - a binomial target's second level in byte order is 1.
# Folds: foldid = {set.seed(1); sample(rep(1:10, length.out = n))} on the rows
# left, given to cv.glmnet with the full fit's lambdas, as make_glm_refs.R.
# Needs Debian's r-cran-glmnet, r-cran-jsonlite, r-cran-mlbench,
# r-cran-palmerpenguins, r-cran-mass and r-cran-aer.  The tests read only
# the committed files.
suppressMessages({
  library(glmnet); library(jsonlite); library(mlbench); library(palmerpenguins)
  library(MASS); library(AER)
})
dir.create("tests/data/tables", showWarnings = FALSE)

byte_order <- function(x) sort(unique(x), method = "radix")

# Text that reads as numbers is numbers (data.categorical "auto": a factor
# such as BostonHousing's chas, written as "0" and "1", is a number column).
numeric_looking <- function(v) {
  t <- as.character(v[!is.na(v)])
  length(t) > 0 && !anyNA(suppressWarnings(as.numeric(t)))
}

# One feature column as design columns (a matrix with names).
encode_column <- function(name, v) {
  if (is.logical(v)) v <- as.numeric(v)
  if (!is.numeric(v) && numeric_looking(v)) v <- as.numeric(as.character(v))
  if (is.numeric(v)) return(matrix(v, ncol = 1, dimnames = list(NULL, name)))
  v <- as.character(v)
  levels <- byte_order(v[!is.na(v)])
  m <- sapply(levels, function(l) as.numeric(v == l))
  if (is.null(dim(m))) m <- matrix(m, nrow = 1)
  colnames(m) <- paste0(name, "=", levels)
  m
}

# Missing cells of the design (NA rows of a one-hot block) by makeX's rule:
# the column's mean over the other rows.
impute_means <- function(X) {
  for (j in seq_len(ncol(X))) {
    miss <- is.na(X[, j])
    if (any(miss)) X[miss, j] <- mean(X[!miss, j])
  }
  X
}

make_ref <- function(name, csv, d, target, family, missing = "error", alphas = 1) {
  write.csv(d, sprintf("tests/data/tables/%s.csv", csv))       # row names, as R users write
  y <- d[[target]]
  features <- setdiff(names(d), target)
  keep <- !is.na(y)
  if (missing == "drop") keep <- keep & complete.cases(d[, features, drop = FALSE])
  d <- d[keep, , drop = FALSE]
  y <- d[[target]]
  X <- do.call(cbind, lapply(features, function(f) encode_column(f, d[[f]])))
  if (missing == "mean") X <- impute_means(X)
  stopifnot(!anyNA(X))
  classes <- NULL
  if (family == "binomial") {
    classes <- byte_order(as.character(y))
    y <- as.numeric(as.character(y) == classes[2])
  }
  n <- nrow(X)
  set.seed(1); foldid <- sample(rep(1:10, length.out = n))
  res <- list(data = sprintf("%s.csv", csv), family = family, target = target, missing = missing,
              n = n, p = ncol(X), rows_dropped = sum(!keep), feature_names = colnames(X),
              classes = classes, glmnet_version = as.character(packageVersion("glmnet")),
              thresh = 1e-14, foldid = foldid, fits = list())
  for (al in alphas) {
    fit <- glmnet(X, y, family = family, alpha = al, thresh = 1e-14, maxit = 1e7)
    lam <- fit$lambda
    cv <- cv.glmnet(X, y, family = family, alpha = al, lambda = lam, foldid = foldid,
                    thresh = 1e-14, maxit = 1e7,
                    type.measure = if (family == "gaussian") "mse" else "deviance")
    B <- as.matrix(fit$beta)
    res$fits[[length(res$fits) + 1]] <- list(
      l1_ratio = al, lambda = lam, a0 = as.numeric(fit$a0),
      coef = unname(lapply(seq_along(lam), function(k) B[, k])),
      df = as.integer(fit$df), dev_ratio = fit$dev.ratio, nulldev = fit$nulldev,
      cv = list(measure = names(cv$name), cvm = cv$cvm, cvsd = cv$cvsd,
                lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se,
                index_min = which(lam == cv$lambda.min), index_1se = which(lam == cv$lambda.1se)))
  }
  out <- sprintf("tests/data/tables/%s_glmnet.json", name)
  writeLines(toJSON(res, digits = 15, auto_unbox = TRUE, null = "null"), out)
  cat(sprintf("%s: n=%d p=%d dropped=%d nlam=%s\n", out, n, ncol(X), sum(!keep),
              paste(sapply(res$fits, function(z) length(z$lambda)), collapse = "/")))
}

data(BostonHousing); data(Sonar); data(PimaIndiansDiabetes2); data(NMES1988)
penguins <- as.data.frame(penguins)
make_ref("boston", "boston", BostonHousing, "medv", "gaussian", alphas = c(1, 0.5))
make_ref("sonar", "sonar", Sonar, "Class", "binomial")
make_ref("pima2_drop", "pima2", PimaIndiansDiabetes2, "diabetes", "binomial", missing = "drop")
make_ref("pima2_mean", "pima2", PimaIndiansDiabetes2, "diabetes", "binomial", missing = "mean")
make_ref("penguins_drop", "penguins", penguins, "body_mass_g", "gaussian", missing = "drop")
make_ref("penguins_mean", "penguins", penguins, "body_mass_g", "gaussian", missing = "mean")
make_ref("quine", "quine", quine, "Days", "poisson")
make_ref("nmes1988", "nmes1988", NMES1988[1:1000, ], "visits", "poisson")
