//! Pages of a list: every context's lists are keyset-paginated the same way (ADR 0008).

/// How many items a page holds: 50 unless asked, never more than 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be between 1 and {max}", max = PageSize::MAX)]
pub struct PageSizeError;

impl PageSize {
    pub const DEFAULT: PageSize = PageSize(50);
    pub const MAX: u32 = 200;

    pub fn new(size: i64) -> Result<Self, PageSizeError> {
        u32::try_from(size)
            .ok()
            .filter(|size| (1..=Self::MAX).contains(size))
            .map(Self)
            .ok_or(PageSizeError)
    }

    pub fn get(&self) -> u32 {
        self.0
    }
}

/// One page of a list, in order, and whether another page follows. Lists are keyset
/// paginated (after the last item of the previous page), so walking every page sees every
/// item exactly once even while items are being added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_more: bool,
}

impl<T> Page<T> {
    /// Turns the `size + 1` rows a query fetched into a page of `size` and whether more
    /// follow: the extra row only says that another page exists.
    pub fn from_rows<R, E>(rows: Vec<R>, size: PageSize) -> Result<Self, E>
    where
        T: TryFrom<R, Error = E>,
    {
        Self::from_rows_read(rows, size, T::try_from)
    }

    /// `from_rows`, each kept row read by `read`.
    pub fn from_rows_read<R, E>(
        mut rows: Vec<R>,
        size: PageSize,
        read: impl FnMut(R) -> Result<T, E>,
    ) -> Result<Self, E> {
        let size = usize::try_from(size.get()).unwrap_or(usize::MAX);
        let has_more = rows.len() > size;
        rows.truncate(size);
        let items = rows.into_iter().map(read).collect::<Result<_, _>>()?;
        Ok(Page { items, has_more })
    }

    /// The item the next page starts after, when there is a next page.
    pub fn continues_after(&self) -> Option<&T> {
        self.items.last().filter(|_| self.has_more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_page_with_more_to_come_says_where_to_continue() {
        let more = Page {
            items: vec![1, 2],
            has_more: true,
        };
        let last = Page {
            items: vec![3],
            has_more: false,
        };
        let empty: Page<u32> = Page {
            items: vec![],
            has_more: false,
        };
        assert_eq!(more.continues_after(), Some(&2));
        assert_eq!(last.continues_after(), None);
        assert_eq!(empty.continues_after(), None);
    }

    #[test]
    fn the_row_beyond_the_size_says_more_follow_and_is_dropped() {
        let size = PageSize::new(2).unwrap();
        let full: Result<Page<u64>, std::convert::Infallible> =
            Page::from_rows(vec![1u32, 2, 3], size);
        assert_eq!(
            full,
            Ok(Page {
                items: vec![1, 2],
                has_more: true
            })
        );
        let last: Result<Page<u64>, std::convert::Infallible> =
            Page::from_rows(vec![1u32, 2], size);
        assert_eq!(
            last,
            Ok(Page {
                items: vec![1, 2],
                has_more: false
            })
        );
    }

    #[test]
    fn a_page_holds_one_to_two_hundred_items() {
        assert_eq!(PageSize::DEFAULT.get(), 50);
        assert_eq!(PageSize::new(1).unwrap().get(), 1);
        assert_eq!(PageSize::new(200).unwrap().get(), 200);
        assert_eq!(PageSize::new(0), Err(PageSizeError));
        assert_eq!(PageSize::new(201), Err(PageSizeError));
        assert_eq!(PageSize::new(-5), Err(PageSizeError));
    }
}
