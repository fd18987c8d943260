//! `#[derive(DatabaseRow)]`, re-exported by `platform-database`: on a sea-orm entity's `Model`
//! or a `DerivePartialModel` struct, it writes how the struct reads from a row of SQLite's
//! threads (rusqlite) and of PostgreSQL's readers (tokio-postgres), one field per selected
//! column, by the column's name. The names are looked up once per statement
//! (`DatabaseRow::COLUMNS`), and each row is then read by position. The struct's fields are
//! then all a context declares: a new column is added to the entity and the migration, nowhere
//! else (ADR 0015).

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Fields, LitStr, parse_macro_input};

#[proc_macro_derive(DatabaseRow, attributes(sea_orm))]
pub fn derive_database_row(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

fn expand(input: &DeriveInput) -> Result<proc_macro2::TokenStream, Error> {
    let Data::Struct(data) = &input.data else {
        return Err(Error::new(
            input.span(),
            "DatabaseRow is derived for a struct of named fields",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(Error::new(
            input.span(),
            "DatabaseRow is derived for a struct of named fields",
        ));
    };
    let mut sqlite_reads = Vec::new();
    let mut postgres_reads = Vec::new();
    let mut names = Vec::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else {
            continue;
        };
        let (sqlite, postgres) = match column(field)? {
            Column::Skipped => {
                let default = quote! { ::core::default::Default::default() };
                (default.clone(), default)
            }
            Column::Named(name) => {
                let name = name.unwrap_or_else(|| {
                    LitStr::new(
                        ident.to_string().trim_start_matches("r#"),
                        Span::call_site(),
                    )
                });
                let at = names.len();
                let reads = (
                    quote! {
                        ::platform_database::derive_support::sqlite::column(
                            row, #name, columns[#at],
                        )?
                    },
                    quote! {
                        ::platform_database::derive_support::postgres::column(row, columns[#at])?
                    },
                );
                names.push(name);
                reads
            }
        };
        sqlite_reads.push(quote! { #ident: #sqlite });
        postgres_reads.push(quote! { #ident: #postgres });
    }
    let name = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::platform_database::DatabaseRow for #name #type_generics
        #where_clause
        {
            const COLUMNS: &'static [&'static str] = &[#(#names),*];

            fn from_sqlite_row(
                row: &::platform_database::derive_support::sqlite::Row<'_>,
                columns: &[usize],
            ) -> ::platform_database::derive_support::sqlite::Result<Self> {
                ::core::result::Result::Ok(Self { #(#sqlite_reads,)* })
            }

            fn from_postgres_row(
                row: &::platform_database::derive_support::postgres::Row,
                columns: &[usize],
            ) -> ::core::result::Result<
                Self,
                ::platform_database::derive_support::postgres::Error,
            > {
                ::core::result::Result::Ok(Self { #(#postgres_reads,)* })
            }
        }
    })
}

/// Where a field's value comes from.
enum Column {
    /// The column of this name, or of the field's name. sea-orm selects a partial model's
    /// columns and expressions `AS` the field's name; an entity's columns are named by
    /// `column_name` when they have one.
    Named(Option<LitStr>),
    /// A partial model's `skip` field: not selected, its type's default.
    Skipped,
}

fn column(field: &syn::Field) -> Result<Column, Error> {
    let mut column = Column::Named(None);
    for attribute in field.attrs.iter().filter(|a| a.path().is_ident("sea_orm")) {
        attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("column_name") {
                column = Column::Named(Some(meta.value()?.parse::<LitStr>()?));
            } else if meta.path.is_ident("skip") {
                column = Column::Skipped;
            } else if meta.path.is_ident("nested") {
                return Err(meta.error(
                    "DatabaseRow reads the columns of one row by name: a nested model's are not",
                ));
            } else if meta.input.peek(syn::Token![=]) {
                // Another of sea-orm's attributes, with a value that is not ours to read.
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        })?;
    }
    Ok(column)
}
