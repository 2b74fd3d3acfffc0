# Reference numbers from R glmnet for coefficient limits (issue 21): glmnet's lower.limits and
# upper.limits, given on the original scale of the columns.
#
# Run from the top of the source tree:
#     Rscript tests/data/make_limits_refs.R
# Made with R 4.2.2 (Debian r-base), glmnet 4.1.6, jsonlite 1.8.4 (Debian r-cran-glmnet,
# r-cran-jsonlite). Takes about half a minute; running it twice gives the same bytes.
#
# Reads only committed files:
#     configs/data/diabetes.csv, configs/data/breast_cancer.csv, tests/data/poisson_counts.csv
# Writes:
#     tests/data/limits_glmnet.json
#
# Each case is fitted for l1_ratio 1 and 0.5 with thresh 1e-14 and maxit 1e7 (as make_glm_refs.R),
# on glmnet's own grid, and cross-validated with lambda = fit$lambda and the fold ids
# foldid = {set.seed(1); sample(rep(1:10, length.out = n))} of the other references. Limits are
# written per feature, with -Inf and Inf as null. Where a limit is 0 glmnet turns its early stop
# on the change in deviance off (glmnet.control(fdev = 0)); the grid's length shows it.
# Numbers have 15 significant digits (jsonlite digits = NA).
suppressMessages({library(glmnet); library(jsonlite)})

THRESH <- 1e-14; MAXIT <- 1e7; NFOLDS <- 10L; SEED <- 1L

read_xy <- function(f) {
  d <- read.csv(f, check.names=FALSE)
  list(x=as.matrix(d[, -ncol(d)]), y=d[[ncol(d)]])
}
make_foldid <- function(n) { set.seed(SEED); sample(rep(seq_len(NFOLDS), length.out=n)) }
limits <- function(x, values, default) {
  out <- setNames(rep(default, ncol(x)), colnames(x))
  out[names(values)] <- unlist(values)
  out
}
finite_or_null <- function(v) lapply(v, function(a) if (is.finite(a)) a else NULL)

fit_case <- function(x, y, fam, al, lo, up, foldid, measure) {
  fit <- glmnet(x, y, family=fam, alpha=al, thresh=THRESH, maxit=MAXIT, lower.limits=lo,
                upper.limits=up)
  cv <- cv.glmnet(x, y, family=fam, alpha=al, lambda=fit$lambda, foldid=foldid, thresh=THRESH,
                  maxit=MAXIT, lower.limits=lo, upper.limits=up, type.measure=measure)
  beta <- as.matrix(fit$beta)
  stopifnot(all(beta >= lo - 1e-12), all(beta <= up + 1e-12))
  list(l1_ratio=al, lambda=fit$lambda, a0=unname(fit$a0), coef=unname(t(beta)),
       df=unname(fit$df), dev_ratio=unname(fit$dev.ratio),
       cv=list(cvm=unname(cv$cvm), cvsd=unname(cv$cvsd), lambda_min=cv$lambda.min,
               lambda_1se=cv$lambda.1se, index_min=cv$index[["min", 1]],
               index_1se=cv$index[["1se", 1]]))
}

cases <- list(
  list(name="diabetes_positive", file="configs/data/diabetes.csv", family="gaussian",
       measure="mse", lower=list(), lower_all=0, upper=list(), upper_all=Inf),
  list(name="diabetes_box", file="configs/data/diabetes.csv", family="gaussian", measure="mse",
       lower=list(sex=-10, s1=0), lower_all=-Inf, upper=list(bmi=5, s5=40, s4=0), upper_all=Inf),
  list(name="breast_cancer_box", file="configs/data/breast_cancer.csv", family="binomial",
       measure="deviance", lower=list(), lower_all=-1, upper=list(), upper_all=1),
  list(name="poisson_box", file="tests/data/poisson_counts.csv", family="poisson",
       measure="deviance", lower=list(), lower_all=-0.2, upper=list(), upper_all=0.3))

res <- list(glmnet_version=as.character(packageVersion("glmnet")), thresh=THRESH, cases=list())
for (s in cases) {
  d <- read_xy(s$file)
  foldid <- make_foldid(nrow(d$x))
  lo <- limits(d$x, s$lower, s$lower_all); up <- limits(d$x, s$upper, s$upper_all)
  fits <- lapply(c(1, 0.5), function(al) fit_case(d$x, d$y, s$family, al, lo, up, foldid,
                                                   s$measure))
  res$cases[[s$name]] <- list(file=s$file, family=s$family, measure=s$measure,
                              lower=finite_or_null(unname(lo)), upper=finite_or_null(unname(up)),
                              foldid=foldid, fits=fits)
  for (f in fits)
    cat(sprintf("%s l1_ratio %g: %d lambdas, min/1se %d/%d, coefficients at a limit at the end: %d\n",
                s$name, f$l1_ratio, length(f$lambda), f$cv$index_min, f$cv$index_1se,
                sum(abs(f$coef[nrow(f$coef), ] - lo) < 1e-9 & lo != 0 |
                    abs(f$coef[nrow(f$coef), ] - up) < 1e-9 & up != 0)))
}
writeLines(toJSON(res, digits=NA, auto_unbox=TRUE, null="null"), "tests/data/limits_glmnet.json")
