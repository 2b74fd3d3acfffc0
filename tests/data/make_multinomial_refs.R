# Reference numbers from R glmnet for the multinomial family: glmnet(family = "multinomial") with
# type.multinomial "ungrouped" and "grouped", and cv.glmnet's curves for it.
#
# Run from the top of the source tree:
#     Rscript tests/data/make_multinomial_refs.R
# Made with R 4.2.2 (Debian r-base), glmnet 4.1.6, jsonlite 1.8.4, palmerpenguins 0.1.1 (Debian
# r-cran-glmnet, r-cran-jsonlite, r-cran-palmerpenguins). Takes about nine minutes of CPU (12 to 13
# on the shared machine), nearly all of it in the grouped lasso on penguins, where glmnet runs to
# maxit (below); running it twice gives the same bytes.
#
# Reads:
#     palmerpenguins' penguins
# Writes:
#     tests/data/penguins_species.csv (penguins' complete cases of bill_length_mm, bill_depth_mm,
#         flipper_length_mm, body_mass_g and species: 342 rows, the 4 numeric features, then
#         `species` as 0 for "Adelie", 1 for "Chinstrap", 2 for "Gentoo", the names' sorted order)
#     tests/data/multinomial4.csv (synthetic, set.seed(2): 300 rows, x1..x8 independent N(0, 1)
#         rounded to 6 decimals, then `y` in 0..3 drawn row by row with sample() from the
#         multinomial logit with intercepts 0, 0.2, -0.1, 0.1 and coefficients: class 0 none,
#         class 1 x1 = 1, x2 = -0.5, class 2 x3 = 0.8, x1 = -0.4, class 3 x4 = 0.6, x5 = 0.6)
#     then reads both back and fits on what it read (the last column the class, the others x), and
#     tests/data/multinomial_glmnet.json
#
# Each data set is fitted for l1_ratio (glmnet's alpha) 1 and 0.5, each with type.multinomial
# "ungrouped" (grouped false: a lasso/elastic net penalty on each coefficient of each class) and
# "grouped" (grouped true: the group lasso over the K coefficients of a feature), with y given as
# factor(y) (levels "0", "1", ...), thresh 1e-14 and maxit 1e7 (as make_glm_refs.R), on glmnet's
# own grid. glmnet stops a path early (after at least 5 lambdas) when dev_ratio exceeds 0.999 or
# grows by less than 1e-5 (fdev) from the previous lambda; the stopping lambda is kept. A fit's
# `stop` says why its path ended: "none" (all 100 lambdas), "dev_ratio_max", "dev_ratio_change",
# or "maxit": glmnet did not converge within maxit at the next lambda, warned, and returned the
# lambdas before it. The penguins grouped lasso (l1_ratio 1) ends so, at 81 of 100 lambdas (the
# 82nd not converged after 1e7 iterations at thresh 1e-14, near separation: dev_ratio 0.993); in
# its CV three fold fits also end so (not converged at lambda 80, 81 and 81 of the given grid, so
# ending at 79, 80 and 80: the warnings printed, once per type.measure), and cv.glmnet predicts
# their rows at the later lambdas with the fold's last fit.
#
# Per fit: lambda, df (fit$df: features with a nonzero coefficient in any class), dev_ratio,
# nulldev (-2 sum_i log(share of row i's class in y)), a0[lambda][class] (glmnet centers the
# intercepts: they sum to 0 at each lambda) and coef[lambda][class][feature] (fit$beta, on the
# original scale, not centered), so that the class probabilities are softmax(a0[l] + coef[l] x).
# Fitted probabilities are not written.
# cv.glmnet is called with lambda = fit$lambda, the same type.multinomial, and the fold ids
# foldid = {set.seed(1); sample(rep(1:10, length.out = n))} of the other references, once per
# type.measure: cv_deviance and cv_class for every fit, and cv_mse and cv_mae for the ungrouped
# l1_ratio 1 fit only (null in the others). Each holds cvm, cvsd, lambda_min, lambda_1se,
# index_min and index_1se (1-based). glmnet's cv.multnet, per row, with p the out-of-fold
# probabilities and y the 0/1 indicator of the class: deviance 2 sum_k -y_k log(p_k) with p_k
# clamped to [1e-5, 1 - 1e-5] (not renormalized); class 1 - y of the class with the largest p
# (ties to the first); mse sum_k (y_k - p_k)^2; mae sum_k |y_k - p_k|. cvm and cvsd are then
# cvcompute's (grouped: per-fold weighted means, cvsd = sqrt(weighted var / (nfolds - 1))).
# Warnings from glmnet or cv.glmnet are printed with the fit they belong to.
# Numbers have 15 significant digits (jsonlite digits = NA).
suppressMessages({library(glmnet); library(jsonlite); library(palmerpenguins)})

THRESH <- 1e-14; MAXIT <- 1e7; NFOLDS <- 10L; SEED <- 1L

# penguins: species as 0..2 in the sorted order of the names
peng <- as.data.frame(palmerpenguins::penguins)[, c("bill_length_mm", "bill_depth_mm",
                                                     "flipper_length_mm", "body_mass_g",
                                                     "species")]
peng <- peng[complete.cases(peng), ]
peng$species <- match(as.character(peng$species), sort(unique(as.character(peng$species)))) - 1L
write.csv(peng, "tests/data/penguins_species.csv", row.names=FALSE, quote=FALSE)

# synthetic 4 classes
set.seed(2)
n4 <- 300L; p4 <- 8L
x4 <- round(matrix(rnorm(n4 * p4), n4, p4, dimnames=list(NULL, paste0("x", seq_len(p4)))), 6)
b4 <- matrix(0, p4, 4)
b4[c(1, 2), 2] <- c(1, -0.5); b4[c(3, 1), 3] <- c(0.8, -0.4); b4[c(4, 5), 4] <- c(0.6, 0.6)
eta4 <- sweep(x4 %*% b4, 2, c(0, 0.2, -0.1, 0.1), "+")
prob4 <- exp(eta4) / rowSums(exp(eta4))
y4 <- vapply(seq_len(n4), function(i) sample(0:3, 1L, prob=prob4[i, ]), integer(1))
write.csv(data.frame(x4, y=y4), "tests/data/multinomial4.csv", row.names=FALSE, quote=FALSE)

read_xy <- function(f) {
  d <- read.csv(f, check.names=FALSE)
  list(x=as.matrix(d[, -ncol(d)]), y=d[[ncol(d)]])
}
make_foldid <- function(n) { set.seed(SEED); sample(rep(seq_len(NFOLDS), length.out=n)) }
# runs expr, collecting its warnings (muffled) as "what: message" into warns
warns <- character(0)
noting <- function(what, expr)
  withCallingHandlers(expr, warning=function(w) {
    warns <<- c(warns, sprintf("%s: %s", what, conditionMessage(w)))
    invokeRestart("muffleWarning")
  })

cv_case <- function(x, yf, al, tm, foldid, lambda, measure, what) {
  cv <- noting(sprintf("%s cv %s", what, measure),
               cv.glmnet(x, yf, family="multinomial", alpha=al, lambda=lambda, foldid=foldid,
                         thresh=THRESH, maxit=MAXIT, type.multinomial=tm,
                         type.measure=measure))
  stopifnot(isTRUE(all.equal(cv$lambda, lambda, tolerance=0)))
  list(cvm=unname(cv$cvm), cvsd=unname(cv$cvsd), lambda_min=cv$lambda.min,
       lambda_1se=cv$lambda.1se, index_min=cv$index[["min", 1]], index_1se=cv$index[["1se", 1]])
}

fit_case <- function(x, y, al, tm, foldid, extra, what) {
  yf <- factor(y)
  n0 <- length(warns)
  fit <- noting(what, glmnet(x, yf, family="multinomial", alpha=al, thresh=THRESH, maxit=MAXIT,
                             type.multinomial=tm))
  nl <- length(fit$lambda); dr <- fit$dev.ratio
  why <- if (any(grepl("not reached after maxit", warns[seq_along(warns) > n0]))) "maxit" else
    if (nl == 100L) "none" else if (dr[nl] > 0.999) "dev_ratio_max" else
      if (dr[nl] - dr[nl - 1L] < 1e-5) "dev_ratio_change" else "other"
  beta <- lapply(fit$beta, as.matrix)                      # K matrices p x nlambda
  stopifnot(length(beta) == nlevels(yf), max(abs(colSums(fit$a0))) < 1e-10)
  out <- list(l1_ratio=al, grouped=(tm == "grouped"), stop=why, lambda=fit$lambda,
              df=unname(fit$df),
              dev_ratio=unname(fit$dev.ratio), nulldev=fit$nulldev, a0=unname(t(fit$a0)),
              coef=lapply(seq_len(nl), function(l) unname(t(sapply(beta, function(b) b[, l])))))
  for (m in c("deviance", "class", "mse", "mae"))       # list(NULL): kept, written as null
    out[paste0("cv_", m)] <- list(if (m %in% c("deviance", "class") || extra)
      cv_case(x, yf, al, tm, foldid, fit$lambda, m, what) else NULL)
  out
}

cases <- list(
  list(name="penguins_species", file="tests/data/penguins_species.csv"),
  list(name="multinomial4", file="tests/data/multinomial4.csv"))

res <- list(glmnet_version=as.character(packageVersion("glmnet")), thresh=THRESH, cases=list())
for (s in cases) {
  d <- read_xy(s$file)
  foldid <- make_foldid(nrow(d$x))
  cat(sprintf("%s: %d rows, %d features, class counts %s; per fold and class min %d\n", s$name,
              nrow(d$x), ncol(d$x), paste(table(d$y), collapse=" "), min(table(foldid, d$y))))
  fits <- list()
  for (tm in c("ungrouped", "grouped")) for (al in c(1, 0.5)) {
    what <- sprintf("%s l1_ratio %g %s", s$name, al, tm)
    warns <- character(0)
    f <- fit_case(d$x, d$y, al, tm, foldid, extra=(tm == "ungrouped" && al == 1), what)
    fits[[length(fits) + 1L]] <- f
    cat(sprintf(paste("%s: %d lambdas (stop %s), last dev_ratio %.6f, cv deviance min/1se %d/%d,",
                      "class min/1se %d/%d%s\n"),
                what, length(f$lambda), f$stop, f$dev_ratio[length(f$dev_ratio)],
                f$cv_deviance$index_min, f$cv_deviance$index_1se, f$cv_class$index_min,
                f$cv_class$index_1se,
                if (is.null(f$cv_mse)) "" else
                  sprintf(", mse min/1se %d/%d, mae min/1se %d/%d", f$cv_mse$index_min,
                          f$cv_mse$index_1se, f$cv_mae$index_min, f$cv_mae$index_1se)))
    for (w in unique(warns)) cat(sprintf("  warning (%dx) %s\n", sum(warns == w), w))
  }
  res$cases[[s$name]] <- list(file=s$file, family="multinomial", n_classes=length(unique(d$y)),
                              rows=nrow(d$x), foldid=foldid, fits=fits)
}
writeLines(toJSON(res, digits=NA, auto_unbox=TRUE, null="null"),
           "tests/data/multinomial_glmnet.json")
