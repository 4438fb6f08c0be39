"""What a batch run's worker processes do to a page, and how multi-page stories are followed.

`extract_job` and `finish_job` run in the process pool.

When a page's extraction finds that its story goes on (`next_page`), the run hands the
article to the PageFollower: one of its threads fetches each later page through the host's
gate (its delay and concurrency) after asking robots.txt, has the process pool extract it,
joins the pages with `follow_pages`, and has the pool finish the record (summary, teaser,
script conversion, fingerprint). The result comes back to the writer thread as "followed".
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
from typing import Any
from urllib.parse import urlsplit

from newskit.article.extraction import ExtractOptions
from newskit.article.paging import follow_pages
from newskit.core.errors import NewskitError
from newskit.core.models import Article, Page
from newskit.crawl.types import reason_of
from newskit.text.finishing import finished_record


def extract_job(content: bytes, url: str, charset: str | None, job: Any) -> tuple[Any, ...]:
    """Run in a worker process: page bytes → ("ok", record, fingerprint) or ("error", …).

    The first page of a multi-page story comes back as ("paged", article), to be followed.
    """
    from newskit.article.extraction import extract

    try:
        article = extract(content, url, http_charset=charset, options=job.extract)
        if job.pages.follow and article.next_page:
            return ("paged", article)
        return finish_job(article, job)
    except NewskitError as err:
        return ("error", type(err).__name__, err.message, reason_of(err))
    except Exception as err:
        return ("error", "NewskitError", f"unexpected {type(err).__name__}: {err}", "unexpected")


def finish_job(article: Article, job: Any) -> tuple[Any, ...]:
    """In a worker process: the article's summary, teaser, conversion → ("ok", record, fp)."""
    from newskit.crawl.state import fingerprint

    record = finished_record(article, summary=job.summary, teaser=job.teaser, convert=job.convert)
    return ("ok", record, fingerprint(article.text))


def extract_page(content: bytes, url: str, charset: str | None, options: ExtractOptions) -> Article:
    """In a worker process: one later page's article (errors travel back pickled)."""
    from newskit.article.extraction import extract

    return extract(content, url, http_charset=charset, options=options)


def outcome_of(answer: Any) -> tuple[Any, ...]:
    """The worker's answer as an outcome; a failure (a crash, a page over the time limit, a
    follow that broke) as an ("error", …) outcome the writer thread records for the URL."""
    if isinstance(answer, BaseException):
        return ("error", "NewskitError", f"following the story's pages failed: {answer}", "pages")
    try:
        return tuple(answer.result())
    except NewskitError as err:
        return ("error", type(err).__name__, err.message, reason_of(err))
    except (Exception, cf.CancelledError) as err:
        return ("error", "NewskitError", f"extraction failed: {type(err).__name__}: {err}", "crash")


class PageFollower:
    """Threads that walk multi-page stories for a batch run (see the module docstring)."""

    def __init__(self, run: Any, procs: Any) -> None:
        self.run, self.procs = run, procs
        self.threads = cf.ThreadPoolExecutor(
            max_workers=max(1, run.options.jobs), thread_name_prefix="newskit-pages"
        )

    def start(self, claim: Any, page: Page, article: Article) -> None:
        """Follow the article's pages in a thread; its outcome arrives as ("followed", …)."""
        self.threads.submit(self._follow, claim, page, article)

    def _follow(self, claim: Any, page: Page, article: Article) -> None:
        try:
            joined = follow_pages(
                article,
                pages=self.run.options.pages,
                fetcher=functools.partial(self._fetch, origin=article.url or page.final_url),
                extractor=self._extract,
            )
            answer: Any = self.procs.submit(finish_job, joined, self.run.job)
        except BaseException as err:
            answer = err
        self.run.results.put(("followed", claim, page, answer))

    def _fetch(self, url: str, origin: str) -> Page:
        """A later page, fetched as any page of the run: robots.txt, the host's gate, retries.

        It is a link of the story's first page (`origin`): the private-address policy applies.
        """
        if self.run.stop.is_set():
            raise NewskitError("the run was stopped", source=url)
        if self.run.hops is not None and (refused := self.run.hops.refusal(origin, url)):
            raise refused
        if self.run.robots is not None:
            self.run.robots.check(url)
        with self.run.gate.slot((urlsplit(url).hostname or "").lower()):
            page: Page = self.run.get_page(url)
            return page

    def _extract(self, page: Page) -> Article:
        future = self.procs.submit(
            extract_page, page.content, page.final_url, page.charset, self.run.job.extract
        )
        article: Article = future.result()
        return article

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking stories; with `wait`, let the running ones finish."""
        self.threads.shutdown(wait=wait, cancel_futures=not wait)
