#!/usr/bin/python3
"""The textbook L1-vs-L2 comparison, as scikit-learn users write it, for
configs/textbook.json and tests/check_cv.c:

    X, y = make_regression(n_samples=100, n_features=10, n_informative=5, noise=10, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    Lasso(alpha=0.1).fit(X_train, y_train); Ridge(alpha=0.1).fit(X_train, y_train)

Writes configs/data/textbook_train.csv, configs/data/textbook_test.csv and
tests/data/sklearn_textbook.json.  Needs python3-sklearn (Debian).
usage: tests/data/make_textbook_fixture.py   (from the top of the source tree)
"""
import json
import numpy as np
import sklearn
from sklearn.datasets import make_regression
from sklearn.linear_model import Lasso, Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

X, y = make_regression(n_samples=100, n_features=10, n_informative=5, noise=10, random_state=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
names = ["x%d" % j for j in range(10)]
for path, Xs, ys in (("configs/data/textbook_train.csv", X_train, y_train),
                     ("configs/data/textbook_test.csv", X_test, y_test)):
    np.savetxt(path, np.column_stack([Xs, ys]), delimiter=",", fmt="%.17g",
               header=",".join(names + ["y"]), comments="")

fits = []
for kind, model in (("lasso", Lasso(alpha=0.1, tol=1e-12, max_iter=10**6)), ("ridge", Ridge(alpha=0.1))):
    model.fit(X_train, y_train)
    fits.append({"kind": kind, "sklearn_alpha": 0.1, "intercept": float(model.intercept_),
                 "coef": model.coef_.tolist(),
                 "test_mse": float(mean_squared_error(y_test, model.predict(X_test)))})
json.dump({"sklearn_version": sklearn.__version__, "n_train": len(y_train), "n_test": len(y_test),
           "feature_names": names, "fits": fits}, open("tests/data/sklearn_textbook.json", "w"), indent=1)
print("wrote configs/data/textbook_{train,test}.csv and tests/data/sklearn_textbook.json")
