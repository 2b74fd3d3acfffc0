# Reference numbers from R glmnet for cv.fold_grid "own" (issue 21): plain cv.glmnet calls, with
# no lambda argument, so that each fold computes its own grid and early stop, and its predictions at
# the full data's lambdas are interpolated (predict(fit, s = lambda), glmnet's lambda.interp).
#
# Run from the top of the source tree:
#     Rscript tests/data/make_foldgrid_refs.R
# Made with R 4.2.2 (Debian r-base), glmnet 4.1.6, jsonlite 1.8.4 (Debian r-cran-glmnet,
# r-cran-jsonlite). Takes about a minute; running it twice gives the same bytes.
#
# Reads only committed files:
#     configs/data/diabetes.csv, configs/data/breast_cancer.csv, tests/data/poisson_counts.csv,
#     tests/data/sonar.csv
# Writes:
#     tests/data/foldgrid_glmnet.json
#
# Each data set is fitted for l1_ratio 1 and 0.5 with thresh 1e-14 and maxit 1e7 (as
# make_glm_refs.R), and the fold ids foldid = {set.seed(1); sample(rep(1:10, length.out = n))} of
# the other references; "diabetes_seed26" draws them with set.seed(26), the first of seeds 1-30
# for which the two calls choose different lambdas (lasso: lambda.min at index 68 against 69). Per fit: the full data's lambda, cv.glmnet's curve without a lambda
# argument ("own": cvm, cvsd, lambda_min, lambda_1se, 1-based index_min and index_1se), each
# fold's own grid length (`fold_lengths`, from glmnet on the fold's training rows with the same
# arguments) and, for comparison, the curve with lambda = fit$lambda ("full", regpath's default).
# Numbers have 15 significant digits (jsonlite digits = NA).
suppressMessages({library(glmnet); library(jsonlite)})

THRESH <- 1e-14; MAXIT <- 1e7; NFOLDS <- 10L; SEED <- 1L

read_xy <- function(f) {
  d <- read.csv(f, check.names=FALSE)
  list(x=as.matrix(d[, -ncol(d)]), y=d[[ncol(d)]])
}
make_foldid <- function(n, seed) { set.seed(seed); sample(rep(seq_len(NFOLDS), length.out=n)) }

curve <- function(cv) list(cvm=unname(cv$cvm), cvsd=unname(cv$cvsd),
                           lambda_min=cv$lambda.min, lambda_1se=cv$lambda.1se,
                           index_min=cv$index[["min", 1]], index_1se=cv$index[["1se", 1]])

fit_case <- function(x, y, fam, al, foldid, measure) {
  fit <- glmnet(x, y, family=fam, alpha=al, thresh=THRESH, maxit=MAXIT)
  own <- cv.glmnet(x, y, family=fam, alpha=al, foldid=foldid, thresh=THRESH, maxit=MAXIT,
                   type.measure=measure)
  full <- cv.glmnet(x, y, family=fam, alpha=al, lambda=fit$lambda, foldid=foldid, thresh=THRESH,
                    maxit=MAXIT, type.measure=measure)
  stopifnot(names(own$name) == measure, isTRUE(all.equal(own$lambda, fit$lambda, tolerance=0)))
  lengths <- sapply(seq_len(NFOLDS), function(k) {
    train <- foldid != k
    length(glmnet(x[train, , drop=FALSE], y[train], family=fam, alpha=al, thresh=THRESH,
                  maxit=MAXIT)$lambda)
  })
  list(l1_ratio=al, lambda=fit$lambda, fold_lengths=lengths, own=curve(own), full=curve(full))
}

sets <- list(
  list(name="diabetes", file="configs/data/diabetes.csv", family="gaussian", measure="mse"),
  list(name="diabetes_seed26", file="configs/data/diabetes.csv", family="gaussian", measure="mse",
       seed=26L),
  list(name="breast_cancer", file="configs/data/breast_cancer.csv", family="binomial",
       measure="deviance"),
  list(name="poisson_counts", file="tests/data/poisson_counts.csv", family="poisson",
       measure="deviance"),
  list(name="sonar", file="tests/data/sonar.csv", family="binomial", measure="deviance"))

res <- list(glmnet_version=as.character(packageVersion("glmnet")), thresh=THRESH, sets=list())
for (s in sets) {
  d <- read_xy(s$file)
  foldid <- make_foldid(nrow(d$x), if (is.null(s$seed)) SEED else s$seed)
  fits <- lapply(c(1, 0.5), function(al) fit_case(d$x, d$y, s$family, al, foldid, s$measure))
  res$sets[[s$name]] <- list(file=s$file, family=s$family, measure=s$measure, foldid=foldid,
                             fits=fits)
  for (f in fits)
    cat(sprintf("%s l1_ratio %g: %d lambdas, fold grids %s; own min/1se %d/%d, full %d/%d, max rel cvm difference %.2e\n",
                s$name, f$l1_ratio, length(f$lambda), paste(range(f$fold_lengths), collapse="-"),
                f$own$index_min, f$own$index_1se, f$full$index_min, f$full$index_1se,
                max(abs(f$own$cvm - f$full$cvm) / f$full$cvm)))
}
writeLines(toJSON(res, digits=NA, auto_unbox=TRUE), "tests/data/foldgrid_glmnet.json")
