# Reference numbers from R glmnet for observation weights and offsets (issue 16).
#
# Run from the top of the source tree:
#     Rscript tests/data/make_weights_refs.R
# Made with R 4.2.2 (Debian r-base), glmnet 4.1.6, jsonlite 1.8.4 (Debian r-cran-glmnet,
# r-cran-jsonlite). Takes about two minutes; running it twice gives the same bytes.
#
# Reads only committed files:
#     configs/data/diabetes.csv, configs/data/breast_cancer.csv, tests/data/poisson_counts.csv
# Writes:
#     tests/data/diabetes_weights.csv       columns w (weights), o (offset) for diabetes.csv's rows
#     tests/data/breast_cancer_weights.csv  the same for breast_cancer.csv
#     tests/data/poisson_weights.csv        w, and o = log(exposure) for poisson_counts.csv
#     tests/data/weights_glmnet.json        glmnet's paths and cv.glmnet's curves with them
#
# The weights are uniform on [0.2, 3] rounded to 2 decimals with some rows set to 0 (glmnet
# normalizes them; a zero weight drops the row from the objective); offsets are rounded to a few
# decimals, so the CSV files hold exactly the numbers R used. Each data set is fitted with
# weights only, offset only, and both ("case" in the JSON), for l1_ratio 1 and 0.5 (and 0 for the
# gaussian weights case), with thresh 1e-14 and maxit 1e7 as make_glm_refs.R, and every cv.glmnet
# call uses the full-data fit's lambdas (lambda = fit$lambda) and the fold ids
# foldid = {set.seed(1); sample(rep(1:10, length.out = n))} of the other references.
# Numbers have 15 significant digits (jsonlite digits = NA).
suppressMessages({library(glmnet); library(jsonlite)})

THRESH <- 1e-14; MAXIT <- 1e7; NFOLDS <- 10L; SEED <- 1L

read_xy <- function(f) {
  d <- read.csv(f, check.names=FALSE)
  list(x=as.matrix(d[, -ncol(d)]), y=d[[ncol(d)]])
}
make_foldid <- function(n) { set.seed(SEED); sample(rep(seq_len(NFOLDS), length.out=n)) }
write_columns <- function(w, o, f) write.table(data.frame(w=w, o=o), f, sep=",", quote=FALSE, row.names=FALSE)

# weights in [0.2, 3] (2 decimals), `zeros` of them 0
make_weights <- function(n, zeros) { w <- round(runif(n, 0.2, 3), 2); w[sample(n, zeros)] <- 0; w }

# One glmnet fit and its cv.glmnet curves for each measure.
fit_case <- function(x, y, fam, w, o, al, foldid, measures) {
  fit <- glmnet(x, y, family=fam, alpha=al, weights=w, offset=o, thresh=THRESH, maxit=MAXIT)
  lam <- fit$lambda; B <- as.matrix(fit$beta)
  cvs <- list()
  for (m in measures) {
    set.seed(SEED)  # not needed by glmnet 4.1.6 (its weighted AUC, survival::concordance, is deterministic)
    cv <- cv.glmnet(x, y, family=fam, alpha=al, weights=w, offset=o, lambda=lam, foldid=foldid,
                    thresh=THRESH, maxit=MAXIT, type.measure=m)
    stopifnot(names(cv$name) == m, length(cv$cvm) == length(lam))
    cvs[[m]] <- list(cvm=unname(cv$cvm), cvsd=unname(cv$cvsd),
                     lambda_min=cv$lambda.min, lambda_1se=cv$lambda.1se,
                     index_min=cv$index[["min", 1]], index_1se=cv$index[["1se", 1]])
  }
  list(l1_ratio=al, lambda=lam, a0=as.numeric(fit$a0), coef=unname(lapply(seq_along(lam), function(k) B[, k])),
       df=as.integer(fit$df), dev_ratio=fit$dev.ratio, nulldev=fit$nulldev, cv=cvs)
}

cases <- list()
add_cases <- function(name, data, columns, fam, x, y, w, o, measures, alphas_w) {
  foldid <- make_foldid(nrow(x))
  for (kind in c("weights", "offset", "both")) {
    ww <- if (kind != "offset") w else NULL
    oo <- if (kind != "weights") o else NULL
    al <- if (kind == "weights") alphas_w else c(1, 0.5)
    fits <- lapply(al, function(a) fit_case(x, y, fam, ww, oo, a, foldid, measures[[kind]]))
    cases[[length(cases) + 1]] <<- list(
      name=paste(name, kind), data=data, columns=columns, family=fam, n=nrow(x), p=ncol(x),
      weights=!is.null(ww), offset=!is.null(oo), foldid=foldid, fits=fits)
    cat(sprintf("%s %s: %s\n", name, kind, paste(sapply(fits, function(f)
      sprintf("l1 %g nlam %d min/1se %s", f$l1_ratio, length(f$lambda),
              paste(sapply(f$cv, function(c) sprintf("%d/%d", c$index_min, c$index_1se)), collapse=" "))),
      collapse="; ")))
  }
}

## diabetes, gaussian: offsets on the scale of y (sd 77)
set.seed(16)
db <- read_xy("configs/data/diabetes.csv"); n <- nrow(db$x)
w <- make_weights(n, 20); o <- round(rnorm(n, sd=20), 2)
write_columns(w, o, "tests/data/diabetes_weights.csv")
mse <- list(weights="mse", offset="mse", both="mse")
add_cases("diabetes", "configs/data/diabetes.csv", "tests/data/diabetes_weights.csv", "gaussian",
          db$x, db$y, w, o, mse, c(1, 0.5, 0))

## breast cancer, binomial: offsets on the logit scale
set.seed(17)
bc <- read_xy("configs/data/breast_cancer.csv"); n <- nrow(bc$x)
w <- make_weights(n, 25); o <- round(rnorm(n, sd=0.5), 3)
write_columns(w, o, "tests/data/breast_cancer_weights.csv")
bm <- list(weights=c("deviance", "class"), offset="deviance", both=c("deviance", "auc", "mse"))
add_cases("breast_cancer", "configs/data/breast_cancer.csv", "tests/data/breast_cancer_weights.csv",
          "binomial", bc$x, bc$y, w, o, bm, c(1, 0.5))

## poisson counts: the offset is the log of an exposure in [0.5, 4]
set.seed(18)
po <- read_xy("tests/data/poisson_counts.csv"); n <- nrow(po$x)
w <- make_weights(n, 15); o <- round(log(round(runif(n, 0.5, 4), 2)), 6)
write_columns(w, o, "tests/data/poisson_weights.csv")
pm <- list(weights="deviance", offset="deviance", both=c("deviance", "mse"))
add_cases("poisson_counts", "tests/data/poisson_counts.csv", "tests/data/poisson_weights.csv",
          "poisson", po$x, po$y, w, o, pm, c(1, 0.5))

res <- list(glmnet_version=as.character(packageVersion("glmnet")), r_version=R.version.string,
            thresh=THRESH, maxit=MAXIT, nfolds=NFOLDS,
            note=paste("cases[].columns holds the weights (w) and offset (o) of the rows of cases[].data;",
                       "weights/offset say which of them the case uses; fits[].cv.<type.measure> is",
                       "cv.glmnet's curve (1-based indices); nulldev is glmnet's, in the weights' units"),
            cases=cases)
writeLines(toJSON(res, digits=NA, auto_unbox=TRUE), "tests/data/weights_glmnet.json")
