# Reference numbers from R glmnet for the binomial and poisson families (issue 6).
#
# Run from the top of the source tree:
#     Rscript tests/data/make_glm_refs.R
# Made with R 4.2.2 (Debian r-base), glmnet 4.1.6, jsonlite 1.8.4
# (Debian r-cran-glmnet, r-cran-jsonlite). Takes about 2 minutes.
#
# Reads only committed files:
#     configs/data/breast_cancer.csv      (copy of the project's shared data set)
#     tests/data/poisson_counts.csv       (made once with the command below; not regenerated here)
#     tests/data/breast_cancer_glmnet.json (only to check that foldid and lambda agree with it)
# Writes:
#     tests/data/poisson_glmnet.json      same logic and layout as make_refs.R (the shared tool)
#                                         run as `make_refs.R poisson_counts.csv poisson out.json 10 1`
#     tests/data/glm_cv_measures.json     cv.glmnet's cvm/cvsd/index_min/index_1se for other
#                                         type.measure values, per-fold errors and out-of-fold
#                                         linear predictors at a few lambdas, and predict() output
#     tests/data/breast_cancer_tight.json glmnet's binomial paths on the lambdas of
#                                         breast_cancer_glmnet.json at thresh 1e-20 (section 4)
#
# poisson_counts.csv was generated (numpy 1.24, Debian python3-numpy) by
#     /usr/bin/python3 /work/shared/tools/gen_synthetic.py --family poisson \
#         --n 400 --p 15 --k 4 --rho 0.5 --seed 1 --out tests/data/poisson_counts.csv
# and the repository's copy scripts/bench/gen_synthetic.py with the same arguments writes the same bytes.
# (gen_synthetic.py draws y ~ Poisson(exp(0.5 * s / sd(s))), s = X b; --snr has no effect for
# poisson.) True nonzero coefficients on that scale: x0 -0.288, x1 0.395, x4 0.320, x9 -0.117.
#
# All numbers are written with jsonlite's digits=NA (15 significant digits).
# Every fit uses thresh=1e-14, maxit=1e7 as make_refs.R does; each cv.glmnet call uses the lambda
# sequence of the full-data fit with the same l1_ratio (lambda=fit$lambda) and the fold ids
# foldid = {set.seed(1); sample(rep(1:10, length.out=n))}, the same as the *_glmnet.json files.
suppressMessages({library(glmnet); library(jsonlite)})

THRESH <- 1e-14; MAXIT <- 1e7; NFOLDS <- 10L; SEED <- 1L

read_xy <- function(f) {
  d <- read.csv(f, check.names=FALSE)
  list(x=as.matrix(d[, -ncol(d)]), y=d[[ncol(d)]], d=d)
}
make_foldid <- function(n) { set.seed(SEED); sample(rep(seq_len(NFOLDS), length.out=n)) }

## ---------------------------------------------------------------------------------------------
## 1. poisson_glmnet.json: a copy of make_refs.R's logic (keep it identical to that tool)
make_refs <- function(f, fam, out, nfolds=NFOLDS, seed=SEED) {
  d <- read.csv(f, check.names=FALSE); x <- as.matrix(d[, -ncol(d)]); y <- d[[ncol(d)]]
  set.seed(seed); foldid <- sample(rep(seq_len(nfolds), length.out=nrow(x)))
  res <- list(data=basename(f), family=fam, n=nrow(x), p=ncol(x), feature_names=colnames(x),
              target=names(d)[ncol(d)], glmnet_version=as.character(packageVersion("glmnet")),
              thresh=1e-14, foldid=foldid, fits=list())
  for (al in c(1, 0.5, 0)) {
    fit <- glmnet(x, y, family=fam, alpha=al, thresh=1e-14, maxit=1e7)
    lam <- fit$lambda
    cv <- cv.glmnet(x, y, family=fam, alpha=al, lambda=lam, foldid=foldid, thresh=1e-14, maxit=1e7,
                    type.measure=if (fam=="gaussian") "mse" else "deviance")
    B <- as.matrix(fit$beta)
    res$fits[[length(res$fits)+1]] <- list(
      l1_ratio=al, lambda=lam, a0=as.numeric(fit$a0), coef=unname(lapply(seq_along(lam), function(k) B[,k])),
      df=as.integer(fit$df), dev_ratio=fit$dev.ratio, nulldev=fit$nulldev,
      cv=list(measure=names(cv$name), cvm=cv$cvm, cvsd=cv$cvsd,
              lambda_min=cv$lambda.min, lambda_1se=cv$lambda.1se,
              index_min=which(lam==cv$lambda.min), index_1se=which(lam==cv$lambda.1se)))
  }
  writeLines(toJSON(res, digits=NA, auto_unbox=TRUE), out)
  cat(sprintf("%s: n=%d p=%d nlam=%s\n", out, nrow(x), ncol(x), paste(sapply(res$fits, function(z) length(z$lambda)), collapse="/")))
}
make_refs("tests/data/poisson_counts.csv", "poisson", "tests/data/poisson_glmnet.json")

## ---------------------------------------------------------------------------------------------
## 2. glm_cv_measures.json
# Per-fold errors are not returned by cv.glmnet. They are recomputed here from cv.glmnet's own
# out-of-fold linear predictors (keep=TRUE -> fit.preval) with glmnet's own internal functions
# (cv.lognet / cv.fishnet, then cvcompute), and the script stops unless glmnet's cvstats() on
# them gives back exactly the cvm and cvsd that cv.glmnet returned.
fold_errors <- function(cv, y, fam, measure, foldid) {
  n <- length(y); nlam <- length(cv$lambda); w <- rep(1, n)
  fun <- if (fam == "binomial") glmnet:::cv.lognet else glmnet:::cv.fishnet
  cs <- fun(cv$fit.preval, y, measure, w, foldid, TRUE)
  if (isTRUE(cs$grouped)) cs <- glmnet:::cvcompute(cs, foldid, rep(nlam, NFOLDS))
  st <- glmnet:::cvstats(cs, foldid, NFOLDS, cv$lambda, cv$nzero, FALSE)
  stopifnot(identical(unname(st$cvm), unname(cv$cvm)), identical(unname(st$cvsd), unname(cv$cvsd)))
  list(err=unname(cs$cvraw), weights=as.numeric(cs$weights))
}

measures_for <- function(x, y, fam, foldid, alphas, measures, keep_idx_f, ref=NULL) {
  out <- list()
  for (al in alphas) {
    fit <- glmnet(x, y, family=fam, alpha=al, thresh=THRESH, maxit=MAXIT)
    lam <- fit$lambda
    if (!is.null(ref)) {   # the reference JSON was made by the same call: lambdas must agree
      rl <- ref$fits[[which(sapply(ref$fits, function(z) z$l1_ratio) == al)]]$lambda
      stopifnot(length(rl) == length(lam), max(abs(rl - lam) / lam) < 1e-13)
    }
    keep_idx <- keep_idx_f(length(lam))
    entry <- list(l1_ratio=al, nlambda=length(lam), lambda=lam, measures=list())
    preval <- NULL
    for (m in measures) {
      cv <- cv.glmnet(x, y, family=fam, alpha=al, lambda=lam, foldid=foldid, thresh=THRESH,
                      maxit=MAXIT, type.measure=m, keep=TRUE)
      stopifnot(names(cv$name) == m, length(cv$cvm) == length(lam))
      if (is.null(preval)) preval <- cv$fit.preval
      else stopifnot(identical(unname(preval), unname(cv$fit.preval)))  # same fold fits each time
      fe <- fold_errors(cv, y, fam, m, foldid)
      entry$measures[[m]] <- list(
        measure=m, name=unname(cv$name), cvm=unname(cv$cvm), cvsd=unname(cv$cvsd),
        lambda_min=cv$lambda.min, lambda_1se=cv$lambda.1se,
        index_min=cv$index[["min", 1]], index_1se=cv$index[["1se", 1]],
        fold_weights=fe$weights,
        fold_err_at=lapply(keep_idx, function(k) fe$err[, k]))
    }
    # out-of-fold linear predictors (the fold fits' link values) at a few lambda indices
    entry$preval_index <- keep_idx
    entry$preval_link <- lapply(keep_idx, function(k) unname(preval[, k]))
    out[[length(out) + 1]] <- entry
  }
  out
}

res <- list(
  glmnet_version=as.character(packageVersion("glmnet")), r_version=R.version.string,
  thresh=THRESH, maxit=MAXIT, nfolds=NFOLDS,
  note=paste("cvm/cvsd/index_* are cv.glmnet's (1-based indices into lambda);",
             "fold_err_at[i][k] is fold k's error at lambda index preval_index[i],",
             "recomputed with glmnet:::cv.lognet/cv.fishnet + cvcompute from fit.preval",
             "and checked to reproduce cvm/cvsd exactly; preval_link[i] is fit.preval[, preval_index[i]]",
             "(out-of-fold linear predictor, one per row); fold_weights are fold sizes."))

## breast_cancer, binomial
bc <- read_xy("configs/data/breast_cancer.csv")
bc_ref <- fromJSON("tests/data/breast_cancer_glmnet.json", simplifyVector=TRUE, simplifyDataFrame=FALSE)
bc_fold <- make_foldid(nrow(bc$x))
stopifnot(identical(as.integer(bc_fold), as.integer(bc_ref$foldid)))
res$breast_cancer <- list(
  data="configs/data/breast_cancer.csv", family="binomial", n=nrow(bc$x), p=ncol(bc$x),
  foldid=bc_fold,
  fits=measures_for(bc$x, bc$y, "binomial", bc_fold, c(1, 0),
                    c("deviance", "class", "auc", "mse", "mae"),
                    function(nl) unique(c(1L, 10L, 30L, 50L, nl)), bc_ref))

## predict() for the lasso fit on breast_cancer
fit1 <- glmnet(bc$x, bc$y, family="binomial", alpha=1, thresh=THRESH, maxit=MAXIT)
s <- fit1$lambda[c(10, 50)]; nx <- bc$x[1:5, , drop=FALSE]
cls <- predict(fit1, newx=nx, s=s, type="class")
res$breast_cancer_predict <- list(
  l1_ratio=1, rows=1:5, lambda_index=c(10L, 50L), s=s,
  link=unname(predict(fit1, newx=nx, s=s, type="link")),
  response=unname(predict(fit1, newx=nx, s=s, type="response")),
  class=matrix(as.integer(cls), nrow(cls)),   # glmnet's class labels "0"/"1" as integers
  note="matrices are rows x s (row-major); class is 1 when link > 0, else 0")
# rows 1:5 are all y = 1 and predicted 1; the first five rows with y = 0 exercise the other class
r0 <- which(bc$y == 0)[1:5]; nx0 <- bc$x[r0, , drop=FALSE]
cls0 <- predict(fit1, newx=nx0, s=s, type="class")
res$breast_cancer_predict_y0 <- list(
  l1_ratio=1, rows=r0, lambda_index=c(10L, 50L), s=s,
  link=unname(predict(fit1, newx=nx0, s=s, type="link")),
  response=unname(predict(fit1, newx=nx0, s=s, type="response")),
  class=matrix(as.integer(cls0), nrow(cls0)),
  note="same as breast_cancer_predict for the first five rows (1-based) with y = 0")

## poisson_counts, poisson
po <- read_xy("tests/data/poisson_counts.csv")
po_ref <- fromJSON("tests/data/poisson_glmnet.json", simplifyVector=TRUE, simplifyDataFrame=FALSE)
po_fold <- make_foldid(nrow(po$x))
stopifnot(identical(as.integer(po_fold), as.integer(po_ref$foldid)))
res$poisson_counts <- list(
  data="tests/data/poisson_counts.csv", family="poisson", n=nrow(po$x), p=ncol(po$x),
  foldid=po_fold,
  fits=measures_for(po$x, po$y, "poisson", po_fold, c(1, 0), c("deviance", "mse", "mae"),
                    function(nl) unique(c(1L, 10L, 30L, 50L, nl)), po_ref))
fitp <- glmnet(po$x, po$y, family="poisson", alpha=1, thresh=THRESH, maxit=MAXIT)
sp <- fitp$lambda[c(10, 50)]; npx <- po$x[1:5, , drop=FALSE]
res$poisson_counts_predict <- list(
  l1_ratio=1, rows=1:5, lambda_index=c(10L, 50L), s=sp,
  link=unname(predict(fitp, newx=npx, s=sp, type="link")),
  response=unname(predict(fitp, newx=npx, s=sp, type="response")),
  note="matrices are rows x s (row-major); response = exp(link)")

## ---------------------------------------------------------------------------------------------
## 3. Edge cases for the CV loss functions alone, computed by glmnet's own cv.lognet/cv.fishnet,
# cvcompute and cvstats on hand-made out-of-fold linear predictors (no fitting): ties in the
# predictions (AUC), p exactly 0.5 (class), |link| = 30 (deviance clamp at 1e-5), y = 0 counts.
loss_cases <- function(fam, y, link, foldid, measures) {
  n <- length(y); K <- max(foldid); w <- rep(1, n)
  fun <- if (fam == "binomial") glmnet:::cv.lognet else glmnet:::cv.fishnet
  out <- list(family=fam, y=y, foldid=foldid, link=lapply(seq_len(ncol(link)), function(j) link[, j]),
              measures=list())
  for (m in measures) {
    cs <- fun(link, y, m, w, foldid, TRUE)
    per_obs <- if (isTRUE(cs$grouped)) unname(cs$cvraw) else NULL
    if (isTRUE(cs$grouped)) cs <- glmnet:::cvcompute(cs, foldid, rep(ncol(link), K))
    st <- glmnet:::cvstats(cs, foldid, K, seq_len(ncol(link)), rep(0, ncol(link)), FALSE)
    e <- list(measure=m, fold_err=lapply(seq_len(ncol(link)), function(j) unname(cs$cvraw[, j])),
              fold_weights=as.numeric(cs$weights), cvm=unname(st$cvm), cvsd=unname(st$cvsd))
    if (!is.null(per_obs)) e$per_obs <- lapply(seq_len(ncol(link)), function(j) per_obs[, j])
    out$measures[[m]] <- e
  }
  out
}
set.seed(2)
yb <- rep(c(0, 1), 15); yb[c(3, 14, 25)] <- 1 - yb[c(3, 14, 25)]      # 3 folds of 10, both classes in each
fb <- rep(1:3, each=10)
lb <- cbind(0,                                                           # p = 0.5 for everyone
            round(rnorm(30), 1),                                         # ties from rounding
            c(30, -30, 30, -30, 0, 0, 1, -1, 1, -1, round(rnorm(20), 1)))  # saturated, 0.5 and ties
yp <- c(0, 0, 1, 3, 0, 2, 5, 1, 0, 4, 1, 0, 2, 0, 7, 1, 0, 3, 1, 2, 0, 1, 1, 0, 6, 2, 0, 1, 0, 3)
lp <- cbind(log(mean(yp)), round(rnorm(30) * 0.7, 2), c(-5, 2, 0, 1, -3, rep(0.5, 5), round(rnorm(20), 2)))
res$loss_cases <- list(
  note=paste("link[j] is column j of out-of-fold linear predictors; fold_err[j] the per-fold",
             "errors, cvm/cvsd one value per column; per_obs[j] the per-row loss (not for auc)"),
  binomial=loss_cases("binomial", yb, lb, fb, c("deviance", "class", "auc", "mse", "mae")),
  poisson=loss_cases("poisson", yp, lp, fb, c("deviance", "mse", "mae")))

writeLines(toJSON(res, digits=NA, auto_unbox=TRUE), "tests/data/glm_cv_measures.json")
for (ds in c("breast_cancer", "poisson_counts")) for (f in res[[ds]]$fits)
  cat(sprintf("%s l1_ratio=%g nlam=%d  %s\n", ds, f$l1_ratio, f$nlambda,
              paste(sapply(f$measures, function(m) sprintf("%s:min=%d,1se=%d", m$measure, m$index_min, m$index_1se)), collapse="  ")))

## ---------------------------------------------------------------------------------------------
## 4. breast_cancer_tight.json: the binomial paths of breast_cancer_glmnet.json, re-solved by
# glmnet itself at thresh 1e-20 on the same lambdas. At thresh 1e-14 glmnet's lasso stops up to
# 2.6e-5 (relative) short of its optimum at 23 of the 100 lambdas; this file is the more exact
# oracle that tests/check_glm.c holds the coefficients to. Takes a few seconds.
bc <- read_xy("configs/data/breast_cancer.csv")
ref <- fromJSON("tests/data/breast_cancer_glmnet.json", simplifyVector=TRUE)
tight <- list(data="breast_cancer.csv", family="binomial", glmnet_version=as.character(packageVersion("glmnet")),
              thresh=1e-20, maxit=1e8, fits=list())
for (i in seq_along(ref$fits$l1_ratio)) {
  lam <- ref$fits$lambda[[i]]
  fit <- glmnet(bc$x, bc$y, family="binomial", alpha=ref$fits$l1_ratio[i], lambda=lam, thresh=1e-20, maxit=1e8)
  B <- as.matrix(fit$beta)
  tight$fits[[i]] <- list(l1_ratio=ref$fits$l1_ratio[i], lambda=lam, a0=as.numeric(fit$a0),
                          coef=unname(lapply(seq_along(lam), function(k) B[,k])))
}
writeLines(toJSON(tight, digits=NA, auto_unbox=TRUE), "tests/data/breast_cancer_tight.json")
cat("tests/data/breast_cancer_tight.json: thresh 1e-20 on", length(tight$fits), "lambda sequences\n")
