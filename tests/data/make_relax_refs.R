# Reference numbers from R glmnet for the relaxed lasso: glmnet(relax = TRUE), its unpenalized
# refits on each lambda's active set, and cv.glmnet(relax = TRUE) over the blend parameter gamma.
#
# Run from the top of the source tree:
#     Rscript tests/data/make_relax_refs.R
# Made with R 4.2.2 (Debian r-base), glmnet 4.1.6, jsonlite 1.8.4, mlbench 2.1.3 (Debian
# r-cran-glmnet, r-cran-jsonlite, r-cran-mlbench). Takes about five seconds; running it twice
# gives the same bytes.
#
# Reads:
#     configs/data/diabetes.csv, tests/data/poisson_counts.csv, mlbench's PimaIndiansDiabetes
# Writes:
#     tests/data/pima.csv (PimaIndiansDiabetes: 768 rows, the 8 numeric features, then `diabetes`
#         as 0 for "neg" and 1 for "pos", glmnet's event being the second level), then reads it back
#     tests/data/relax_glmnet.json
#
# Cases: diabetes (gaussian, mse), pima (binomial, deviance), poisson_counts (poisson, deviance),
# and diabetes_small, the first 12 rows of diabetes.csv (gaussian, fit only, cv null, foldid null).
# Each case is fitted for l1_ratio 1 and 0.5 with thresh 1e-14 and maxit 1e7 (as make_glm_refs.R),
# on glmnet's own grid, and cross-validated with lambda = fit$lambda and the fold ids
# foldid = {set.seed(1); sample(rep(1:10, length.out = n))} of the other references, with
# type.measure as above and gamma at its default c(0, 0.25, 0.5, 0.75, 1).
#
# glmnet's relaxed fit (relax.glmnet, path = FALSE): for each distinct active set of the penalized
# path, one unpenalized fit (lambda = 0) on only those columns (the others excluded), with the same
# thresh and maxit. It skips active sets with more than maxp = n - 3 columns, n being the rows the
# fit sees (all rows for the full fit, a fold's training rows in CV), so fit$relaxed$lambda lists
# only the kept lambdas. Here relaxed_a0, relaxed_coef and relaxed_dev_ratio are given for every
# lambda of fit$lambda (matched by value), with null where glmnet made no refit; relaxed_kept says
# which. diabetes_small (n = 12, p = 10, maxp = 9) has such lambdas. Where no column is active (the
# first lambda) glmnet makes no refit and keeps the penalized fit, the intercept-only model.
# relax.glmnet also draws rnorm(p) to label the active sets (which does not change its answers).
#
# Blending (blend.relaxed, used for predictions and in cv.glmnet's relaxed curves):
#     coef(gamma) = gamma * penalized + (1 - gamma) * refit, with gamma = max(gamma, 1e-5),
# so glmnet's gamma 0 curve is 1e-5 x penalized + (1 - 1e-5) x refit, not the refit alone. For a
# lambda whose refit was omitted, the blend uses the last kept refit (extend = TRUE: the refit of
# the largest kept index, i.e. the smallest kept lambda), still with that lambda's penalized fit.
# In CV this happens inside each fold with that fold's own maxp.
#
# In cv: gamma (cv$relaxed$gamma), cvm[gamma][lambda] and cvsd[gamma][lambda] from
# cv$relaxed$statlist, glmnet's selection over (lambda, gamma) (lambda_min, gamma_min, lambda_1se,
# gamma_1se, index_min and index_1se as list(lambda, gamma), 1-based), and the plain gamma = 1
# curve and selection (plain_cvm, plain_cvsd, plain_lambda_min, plain_lambda_1se,
# plain_index_min, plain_index_1se) as cv$cvm and cv$index.
# Numbers have 15 significant digits (jsonlite digits = NA).
suppressMessages({library(glmnet); library(jsonlite); library(mlbench)})

THRESH <- 1e-14; MAXIT <- 1e7; NFOLDS <- 10L; SEED <- 1L

data(PimaIndiansDiabetes, package="mlbench")
pima <- PimaIndiansDiabetes
pima$diabetes <- as.integer(pima$diabetes == "pos")
write.csv(pima, "tests/data/pima.csv", row.names=FALSE, quote=FALSE)

read_xy <- function(f, rows=NULL) {
  d <- read.csv(f, check.names=FALSE)
  if (!is.null(rows)) d <- d[seq_len(rows), ]
  list(x=as.matrix(d[, -ncol(d)]), y=d[[ncol(d)]])
}
make_foldid <- function(n) { set.seed(SEED); sample(rep(seq_len(NFOLDS), length.out=n)) }
# one entry per lambda: the refit's value(s) where kept, NULL (JSON null) where omitted
per_lambda <- function(kept, f)
  lapply(seq_along(kept), function(j) if (kept[j] > 0) f(kept[j]) else NULL)

fit_case <- function(x, y, fam, al, foldid, measure) {
  # relax.glmnet refits through update(fit$call), evaluated away from this function, so the
  # call is given its values (bquote) rather than this function's local names
  fit <- eval(bquote(glmnet(x, y, family=.(fam), alpha=.(al), thresh=.(THRESH), maxit=.(MAXIT),
                            relax=TRUE)))
  r <- fit$relaxed
  kept <- match(fit$lambda, r$lambda, 0)
  stopifnot(all(kept[kept > 0] == seq_along(r$lambda)))
  rbeta <- as.matrix(r$beta)
  out <- list(l1_ratio=al, lambda=fit$lambda, a0=unname(fit$a0),
              coef=unname(t(as.matrix(fit$beta))), df=unname(fit$df),
              dev_ratio=unname(fit$dev.ratio), maxp=nrow(x) - 3L, relaxed_kept=kept > 0,
              relaxed_a0=per_lambda(kept, function(k) unname(r$a0[k])),
              relaxed_coef=per_lambda(kept, function(k) unname(rbeta[, k])),
              relaxed_dev_ratio=per_lambda(kept, function(k) unname(r$dev.ratio[k])), cv=NULL)
  if (!is.null(foldid)) {
    cv <- cv.glmnet(x, y, family=fam, alpha=al, lambda=fit$lambda, foldid=foldid, thresh=THRESH,
                    maxit=MAXIT, relax=TRUE, type.measure=measure)
    rx <- cv$relaxed
    stopifnot(isTRUE(all.equal(cv$lambda, fit$lambda, tolerance=0)))
    out$cv <- list(gamma=rx$gamma,
                   cvm=unname(lapply(rx$statlist, function(s) unname(s$cvm))),
                   cvsd=unname(lapply(rx$statlist, function(s) unname(s$cvsd))),
                   lambda_min=rx$lambda.min, gamma_min=rx$gamma.min,
                   lambda_1se=rx$lambda.1se, gamma_1se=rx$gamma.1se,
                   index_min=list(lambda=rx$index[["min", "Lambda"]],
                                  gamma=rx$index[["min", "Gamma"]]),
                   index_1se=list(lambda=rx$index[["1se", "Lambda"]],
                                  gamma=rx$index[["1se", "Gamma"]]),
                   plain_cvm=unname(cv$cvm), plain_cvsd=unname(cv$cvsd),
                   plain_lambda_min=cv$lambda.min, plain_lambda_1se=cv$lambda.1se,
                   plain_index_min=cv$index[["min", 1]], plain_index_1se=cv$index[["1se", 1]])
  }
  out
}

cases <- list(
  list(name="diabetes", file="configs/data/diabetes.csv", rows=NULL, family="gaussian",
       measure="mse", cv=TRUE),
  list(name="pima", file="tests/data/pima.csv", rows=NULL, family="binomial",
       measure="deviance", cv=TRUE),
  list(name="poisson_counts", file="tests/data/poisson_counts.csv", rows=NULL, family="poisson",
       measure="deviance", cv=TRUE),
  list(name="diabetes_small", file="configs/data/diabetes.csv", rows=12L, family="gaussian",
       measure="mse", cv=FALSE))

res <- list(glmnet_version=as.character(packageVersion("glmnet")), thresh=THRESH,
            relax_gamma_epsilon=1e-5, cases=list())
for (s in cases) {
  d <- read_xy(s$file, s$rows)
  foldid <- if (s$cv) make_foldid(nrow(d$x)) else NULL
  fits <- lapply(c(1, 0.5), function(al) fit_case(d$x, d$y, s$family, al, foldid, s$measure))
  res$cases[[s$name]] <- list(file=s$file, rows=nrow(d$x), family=s$family, measure=s$measure,
                              foldid=foldid, fits=fits)
  for (f in fits) {
    sel <- if (is.null(f$cv)) "no cv" else
      sprintf("min lambda %d gamma %g, 1se lambda %d gamma %g (plain min/1se %d/%d)",
              f$cv$index_min$lambda, f$cv$gamma_min, f$cv$index_1se$lambda, f$cv$gamma_1se,
              f$cv$plain_index_min, f$cv$plain_index_1se)
    cat(sprintf("%s l1_ratio %g: %d lambdas, %d relaxed refits kept (maxp %d), %s\n", s$name,
                f$l1_ratio, length(f$lambda), sum(f$relaxed_kept), f$maxp, sel))
  }
}
writeLines(toJSON(res, digits=NA, auto_unbox=TRUE, null="null"), "tests/data/relax_glmnet.json")
