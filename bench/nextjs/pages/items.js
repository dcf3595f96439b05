// The benchmark page of bench/apps/list100/pages/items.py, as a Next.js page.
import Head from "next/head";
import { makeItems, number } from "../lib/catalog";

export async function getServerSideProps({ query }) {
  const page = number(query.page, 1);
  return { props: { page, items: makeItems(page, number(query.n, 100)) } };
}

export default function Items({ page, items }) {
  return (
    <>
      <Head><title>{`Items, page ${page}`}</title></Head>
      <h1>Items</h1>
      <ul className="items">
        {items.map((item) => (
          <li key={item.id} id={`item-${item.id}`} className="item" data-price={item.price}>
            <a href={`/items/${item.id}`} className="name">{item.name}</a>
            <span className="price">{`$${item.price.toFixed(2)}`}</span>
            <small className="tags">{item.tags.join(", ")}</small>
          </li>
        ))}
      </ul>
      <p className="count">{`${items.length} items`}</p>
    </>
  );
}
